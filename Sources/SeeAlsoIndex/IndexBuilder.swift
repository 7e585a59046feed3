import Foundation
import SeeAlsoCorpus
import SeeAlsoSimilarity
import SeeAlsoSupport
import SeeAlsoVectorize

/// How `seealso build` computes the related lists.
public enum ListMethod: String, Sendable, CaseIterable {
    /// Exact below `IndexBuilder.exactLimit` articles, approximate above.
    case auto
    /// Exact TF-IDF cosine (`ExactAllPairs`).
    case exact
    /// Reduced dense vectors, exhaustive, re-ranked by exact cosine.
    case dense
    /// Reduced dense vectors in k-means partitions probed `nprobe` at a time, re-ranked by exact cosine.
    case partitioned
}

/// Options of an index build.
public struct IndexBuildOptions: Sendable {
    public var configuration = TfidfConfiguration.news
    /// Use this model's vocabulary and idf instead of fitting (for reproducible rebuilds and tests).
    public var frozenModel: TfidfModel?
    /// Length of the stored related lists.
    public var k = 20
    public var method: ListMethod = .auto
    /// Settings of the dense and partitioned methods.
    public var approximate = ApproximateAllPairs.Options()
    /// Rows on which recall@10 against exact lists is measured for approximate methods (0: skip).
    public var recallSample = 200
    public init() {}
}

/// Builds an index: vectorize, compute every article's related list, write a new generation.
public enum IndexBuilder {
    /// Largest archive for which `auto` chooses exact lists.
    public static let exactLimit = 200_000

    public static func build(reader: CorpusReader, options: IndexBuildOptions) throws -> IndexContents {
        var seconds: [String: Double] = [:]
        var clock = Stopwatch()
        let progress = ProgressReporter("read and vectorize")
        let fit: TfidfFit
        if let frozen = options.frozenModel {
            fit = try TfidfVectorizer.transform(reader: reader, model: frozen, progress: progress)
        } else {
            fit = try TfidfVectorizer.fit(reader: reader, configuration: options.configuration, progress: progress)
        }
        progress.finish()
        if fit.skipped.count > 0 { ProgressReporter.note("seealso: " + fit.skipped.summary()) }
        seconds["vectorize"] = clock.seconds
        clock = Stopwatch()
        let method = resolve(options.method, articleCount: fit.matrix.rowCount)
        var contents = IndexContents(model: fit.model, articles: fit.articles, matrix: fit.matrix,
                                     lists: NeighborLists(rowCount: 0, k: options.k, ids: [], scores: []),
                                     method: method.rawValue, sources: reader.paths)
        try computeLists(into: &contents, k: options.k, method: method, options: options, seconds: &seconds)
        if options.frozenModel != nil {
            contents.addedSinceFit = fit.matrix.rowCount
            contents.addedOutOfVocabularyRate = fit.outOfVocabularyRate
        }
        contents.buildSeconds = seconds
        return contents
    }

    static func resolve(_ method: ListMethod, articleCount: Int) -> ListMethod {
        guard method == .auto else { return method }
        return articleCount <= exactLimit ? .exact : .partitioned
    }

    /// Fills `contents.lists` (and, for approximate methods, the dense vectors, partitions and measured recall).
    static func computeLists(into contents: inout IndexContents, k: Int, method: ListMethod, options: IndexBuildOptions,
                             seconds: inout [String: Double]) throws {
        let matrix = contents.matrix
        var clock = Stopwatch()
        switch method {
        case .exact, .auto:
            let progress = ProgressReporter("related lists (exact)", total: matrix.rowCount)
            contents.lists = ExactAllPairs.run(matrix, options: ExactAllPairs.Options(k: k), progress: progress)
            progress.finish()
            seconds["lists"] = clock.seconds
        case .dense, .partitioned:
            var approximate = options.approximate
            approximate.k = k
            if method == .dense { approximate.partitions = 0 }
            let postings = SparsePostings(matrix)
            let result = try ApproximateAllPairs.run(matrix, options: approximate, postings: postings)
            contents.lists = result.lists
            contents.dense = DenseSection(vectors: result.vectors, projection: result.svd.rightSingularVectors,
                                          singularValues: result.svd.singularValues, centroids: result.centroids,
                                          partitionOfRow: result.partitionOfRow)
            for (name, value) in result.timings.stages { seconds["lists: " + name] = value }
            seconds["lists"] = clock.seconds
            if options.recallSample > 0 {
                clock = Stopwatch()
                let measured = ApproximateAllPairs.measureRecall(result.lists, matrix: matrix, postings: postings,
                                                                 sampleSize: options.recallSample)
                contents.measuredRecall = measured.recall
                seconds["recall check (\(measured.rows) rows)"] = clock.seconds
                ProgressReporter.note(String(format: "seealso: recall@10 against exact lists on %d sampled articles: %.3f",
                                             measured.rows, measured.recall))
            }
        }
    }
}
