import Foundation
import SeeAlsoCorpus
import SeeAlsoSimilarity
import SeeAlsoSupport
import SeeAlsoVectorize

/// Adds articles to an index without refitting: new articles are vectorized with the index's
/// frozen vocabulary and idf, get their own exact lists, and enter the existing lists they beat.
///
/// Each pair is scored once, from the later article's side (its terms in column order), as
/// `ExactAllPairs` does, so the lists equal those of a full build with the same frozen model
/// (up to ties within float rounding). Cost: O(Σ_{new j} Σ_{t ∈ j} df(t) + new · n) plus rewriting
/// the index files; memory: the old and new matrix and postings, plus only the pairs that can enter an
/// old list (at or above about its k-th score). Refit (rebuild) when many articles were added since the fit or the share
/// of out-of-vocabulary tokens grows: `add` reports both.
public enum IndexUpdater {
    public static func add(to index: Index, reader: CorpusReader) throws -> IndexContents {
        let clock = Stopwatch()
        let model = index.model()
        let progress = ProgressReporter("read and vectorize new articles")
        let fit = try TfidfVectorizer.transform(reader: reader, model: model, progress: progress)
        progress.finish()
        if fit.skipped.count > 0 { ProgressReporter.note("seealso: " + fit.skipped.summary()) }
        for (position, article) in fit.articles.enumerated() where index.row(ofId: article.id) != nil {
            throw CorpusError(.duplicateID, file: reader.path, field: "id",
                              "article \(position + 1) of the input: id \"\(article.id)\" is already in the index")
        }
        let oldCount = index.articleCount
        let matrix = concatenate(index.matrix(), fit.matrix)
        let postings = SparsePostings(matrix)
        let heaps = TopKHeaps(rowCount: matrix.rowCount, k: index.k + CanonicalScores.margin(for: index.k))
        let oldLists = index.lists()
        // A new article can enter an old list only by reaching about its k-th score: candidates below
        // this floor are not kept (the tolerance covers float accumulation against canonical scores).
        let entryFloor = (0..<oldCount).map { row -> Float in
            let neighbors = oldLists.neighbors(of: row)
            for (neighbor, score) in neighbors { heaps.push(row: row, id: Int32(neighbor), score: score) }
            return neighbors.count == index.k ? neighbors[neighbors.count - 1].score - 1e-4 : 0
        }
        // Score each new row against every earlier row; offer both directions.
        let newRows = oldCount..<matrix.rowCount
        let listsProgress = ProgressReporter("update related lists", total: newRows.count)
        let candidates = Locked([(target: Int32, source: Int32, score: Float)]())
        Parallelism.forEachDynamic(newRows.count) { offset, _ in
            let row = newRows.lowerBound + offset
            var scores = [Float](repeating: 0, count: row)
            scores.withUnsafeMutableBufferPointer { scores in
                for index in matrix.rowStarts[row]..<matrix.rowStarts[row + 1] {
                    let column = Int(matrix.columns[index])
                    let weight = matrix.values[index]
                    for position in postings.columnStarts[column]..<postings.columnStarts[column + 1] {
                        let other = Int(postings.rows[position])
                        if other >= row { break }
                        scores[other] += weight * postings.values[position]
                    }
                }
            }
            var found: [(target: Int32, source: Int32, score: Float)] = []
            for other in 0..<row where scores[other] > 0 {
                heaps.push(row: row, id: Int32(other), score: scores[other])
                if other >= oldCount || scores[other] >= entryFloor[other] {
                    found.append((Int32(other), Int32(row), scores[other]))
                }
            }
            candidates.withLock { $0.append(contentsOf: found) }
            listsProgress.advance()
        }
        // The reverse direction, serialized (a row's heap must not be updated from two threads).
        var reverse = candidates.value
        reverse.sort { $0.target != $1.target ? $0.target < $1.target : $0.source < $1.source }
        for candidate in reverse {
            heaps.push(row: Int(candidate.target), id: candidate.source, score: candidate.score)
        }
        listsProgress.finish()
        var contents = IndexContents(
            model: model, articles: index.allMetadata() + fit.articles, matrix: matrix,
            lists: CanonicalScores.rescore(heaps.lists(), matrix: matrix, keep: index.k),
            method: index.manifest.method, measuredRecall: index.manifest.measuredRecall,
            sources: index.manifest.sources + [reader.path])
        let previous = index.manifest.addedSinceFit
        let added = fit.articles.count
        contents.addedSinceFit = previous + added
        let previousRate = index.manifest.addedOutOfVocabularyRate ?? 0
        contents.addedOutOfVocabularyRate = (previousRate * Double(previous) + (fit.outOfVocabularyRate ?? 0) * Double(added))
            / Double(max(1, previous + added))
        contents.buildSeconds = ["add": clock.seconds]
        return contents
    }

    /// Whether the index should be refit (rebuilt) rather than extended: more than 25 % of its
    /// articles added since the fit, or more than 10 % out-of-vocabulary tokens among them.
    public static func refitAdvice(_ manifest: IndexManifest) -> String? {
        let share = Double(manifest.addedSinceFit) / Double(max(1, manifest.modelDocumentCount))
        let rate = manifest.addedOutOfVocabularyRate ?? 0
        guard share > 0.25 || rate > 0.10 else { return nil }
        return String(format: "%.0f%% of the fitted article count added since the fit, %.1f%% of their tokens out of vocabulary: "
                      + "consider `seealso add --refit` (rebuilds from all sources) or a new `seealso build`", 100 * share, 100 * rate)
    }

    static func concatenate(_ first: CSRMatrix, _ second: CSRMatrix) -> CSRMatrix {
        let offset = first.storedCount
        return CSRMatrix(rowCount: first.rowCount + second.rowCount, columnCount: first.columnCount,
                         rowStarts: first.rowStarts + second.rowStarts.dropFirst().map { $0 + offset },
                         columns: first.columns + second.columns, values: first.values + second.values)
    }
}
