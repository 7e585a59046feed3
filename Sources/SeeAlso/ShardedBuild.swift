import Foundation
import SeeAlsoCorpus
import SeeAlsoIndex
import SeeAlsoSimilarity
import SeeAlsoSupport
import SeeAlsoVectorize

/// A build split into steps a cluster scheduler runs on many machines (Apache Spark: `scripts/spark`),
/// each reading and writing `ShardLines` so that only routing happens outside SeeAlso:
///
/// 1. `writeTermStatistics`: each part of the archive → its term counts; the scheduler sums them by term.
/// 2. `fitModel`: the summed counts → the model, equal to `build`'s own fit on the whole archive.
/// 3. `writeVectors`: each part, with the model broadcast → TF-IDF rows numbered in archive order.
/// 4. `writeCandidateLists`: the rows of one shard (all its pairs), or of two shards (the pairs between
///    them), or of one partition (its residents and visitors) → each row's k best there, canonical
///    scores (`ExactAllPairs`).
/// 5. `mergeLists`: all candidate lists of some rows → each row's k best (score descending, then row).
/// 6. `writeIndex`: the archive, the model and the merged lists → a normal index generation.
///
/// Exact lists (every shard and every pair of shards scored) equal `build --method exact`'s list for
/// list and score for score: scores are canonical, and each row's best k over all rows are among the
/// union of its best k over each block. The partitioned method (`ShardPartitioner`) scores each article
/// only inside its nearest partitions.
package enum ShardedBuild {
    /// Step 1: the term counts of `input` as `ShardLines` (`#documents` line first). O(input + terms).
    package static func writeTermStatistics(of input: ArchiveInput, tfidf: TfidfConfiguration, to output: LineOutput) throws {
        let statistics = try TfidfVectorizer.termStatistics(reader: try input.reader(), configuration: tfidf)
        output.write("\(ShardLines.documentsTag)\t\(statistics.documentCount)")
        for term in 0..<statistics.terms.count {
            output.write("\(statistics.terms.string(term))\t\(statistics.documentFrequencies[term])\t\(statistics.totalFrequencies[term])")
        }
    }

    /// Step 2: the model of term counts read from `input` (terms given more than once, and several
    /// `#documents` lines, are summed).
    package static func fitModel(statistics input: LineInput, tfidf: TfidfConfiguration) throws -> TfidfModel {
        var statistics = TermStatistics()
        try input.forEachLine { line, number in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            if fields.count == 2, fields[0] == ShardLines.documentsTag, let documents = Int(fields[1]), documents >= 0 {
                statistics.documentCount += documents
                return
            }
            guard fields.count == 3, !fields[0].isEmpty, let df = Int(fields[1]), df > 0, let tf = Double(fields[2]), tf.isFinite, tf >= 0 else {
                throw ShardedBuildError("\(input.name): line \(number) is not \"term<TAB>df<TAB>tf\" or \"\(ShardLines.documentsTag)<TAB>N\"")
            }
            statistics.add(term: String(fields[0]), documentFrequency: df, totalFrequency: tf)
        }
        guard statistics.documentCount > 0 else { throw ShardedBuildError("\(input.name): no \(ShardLines.documentsTag) line counts any article") }
        return try TfidfVectorizer.fitModel(statistics, configuration: tfidf)
    }

    /// Step 3: the TF-IDF rows of `input` under `model`, numbered from `firstRow`. Returns the row count.
    @discardableResult
    package static func writeVectors(of input: ArchiveInput, model: TfidfModel, firstRow: Int, to output: LineOutput) throws -> Int {
        let fit = try TfidfVectorizer.transform(reader: try input.reader(), model: model, keepMetadata: false)
        let matrix = fit.matrix
        for row in 0..<matrix.rowCount {
            let range = matrix.rowStarts[row]..<matrix.rowStarts[row + 1]
            output.write(ShardLines.vectorLine(row: firstRow + row, columns: matrix.columns[range], values: matrix.values[range]))
        }
        return matrix.rowCount
    }

    /// Rows read from vector lines, in row order: the matrix and each local row's archive row.
    package struct Rows {
        package var matrix: CSRMatrix
        package var archiveRows: [Int]

        package init(matrix: CSRMatrix, archiveRows: [Int]) {
            self.matrix = matrix
            self.archiveRows = archiveRows
        }
    }

    /// Reads vector lines (any order; a row given twice is an error) with `columnCount` columns.
    package static func readRows(_ input: LineInput, columnCount: Int) throws -> Rows {
        var parsed: [(row: Int, columns: [Int32], values: [Float])] = []
        try input.forEachLine { line, number in parsed.append(try vector(line, columnCount: columnCount, input: input, number: number)) }
        return try rows(parsed, columnCount: columnCount, input: input)
    }

    /// Reads a partition's assignment lines (`partition \t R|V \t row \t base64`, as `assign` writes them):
    /// its residents and its visitors.
    package static func readPartition(_ input: LineInput, columnCount: Int) throws -> (residents: Rows, visitors: Rows) {
        var residents: [(row: Int, columns: [Int32], values: [Float])] = []
        var visitors: [(row: Int, columns: [Int32], values: [Float])] = []
        try input.forEachLine { line, number in
            let fields = line.split(separator: "\t", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count == 3, Int(fields[0]) != nil, fields[1] == "R" || fields[1] == "V" else {
                throw ShardedBuildError("\(input.name): line \(number) is not an assignment line (partition<TAB>R or V<TAB>row<TAB>base64)")
            }
            let parsed = try vector(fields[2], columnCount: columnCount, input: input, number: number)
            if fields[1] == "R" { residents.append(parsed) } else { visitors.append(parsed) }
        }
        return (try rows(residents, columnCount: columnCount, input: input), try rows(visitors, columnCount: columnCount, input: input))
    }

    private static func vector(_ text: Substring, columnCount: Int, input: LineInput, number: Int) throws -> (row: Int, columns: [Int32], values: [Float]) {
        guard let vector = ShardLines.parseVector(text),
              vector.columns.allSatisfy({ $0 >= 0 && Int($0) < columnCount }), vector.values.allSatisfy(\.isFinite) else {
            throw ShardedBuildError("\(input.name): line \(number) is not a vector line (row<TAB>base64 of columns and values below \(columnCount) columns)")
        }
        return vector
    }

    private static func rows(_ vectors: [(row: Int, columns: [Int32], values: [Float])], columnCount: Int, input: LineInput) throws -> Rows {
        var parsed = vectors
        parsed.sort { $0.row < $1.row }
        var rowStarts = [0]
        var columns: [Int32] = []
        var values: [Float] = []
        for (index, vector) in parsed.enumerated() {
            if index > 0 && parsed[index - 1].row == vector.row { throw ShardedBuildError("\(input.name): row \(vector.row) is given twice") }
            columns.append(contentsOf: vector.columns)
            values.append(contentsOf: vector.values)
            rowStarts.append(columns.count)
        }
        let matrix = CSRMatrix(rowCount: parsed.count, columnCount: columnCount, rowStarts: rowStarts, columns: columns, values: values)
        return Rows(matrix: matrix, archiveRows: parsed.map(\.row))
    }

    /// Step 4: the k best of every row among `rows` (`split` nil), or — with `split` — among the rows of
    /// the other side of it (archive rows below `split` against those at or above it), as list lines
    /// with archive rows; rows without a positive score are left out. Cost: `ExactAllPairs`.
    package static func writeCandidateLists(_ rows: Rows, split: Int?, k: Int, to output: LineOutput) {
        let lists: NeighborLists
        if let split {
            let localSplit = rows.archiveRows.partitionPoint(where: { $0 >= split })
            lists = ExactAllPairs.runCross(rows.matrix, split: localSplit, options: .init(k: k))
        } else {
            lists = ExactAllPairs.run(rows.matrix, options: .init(k: k))
        }
        write(lists, of: rows, to: output)
    }

    /// Step 4 of the partitioned method: within one partition, the k best of every resident among the
    /// residents and the visitors, and of every visitor among the residents (visitors are never scored
    /// against each other), as list lines. Cost: residents²/2 + residents · visitors pairs.
    package static func writeCandidateLists(residents: Rows, visitors: Rows, k: Int, to output: LineOutput) {
        writeCandidateLists(residents, split: nil, k: k, to: output)
        guard residents.matrix.rowCount > 0, visitors.matrix.rowCount > 0 else { return }
        var both = residents
        both.matrix.append(visitors.matrix)
        both.archiveRows += visitors.archiveRows
        write(ExactAllPairs.runCross(both.matrix, split: residents.matrix.rowCount, options: .init(k: k)), of: both, to: output)
    }

    private static func write(_ lists: NeighborLists, of rows: Rows, to output: LineOutput) {
        for local in 0..<lists.rowCount {
            let entries = lists.neighbors(of: local)
            guard !entries.isEmpty else { continue }
            output.write(ShardLines.listLine(row: rows.archiveRows[local],
                                             entries: entries.map { (Int32(rows.archiveRows[$0.id]), $0.score) }))
        }
    }

    /// Step 5: merges candidate lists by row: each row's entries from every line, an id once, best k by
    /// score descending then row; written in row order. O(entries log entries).
    package static func mergeLists(_ input: LineInput, k: Int, to output: LineOutput) throws {
        var entriesOfRow: [Int: [(id: Int32, score: Float)]] = [:]
        try input.forEachLine { line, number in
            guard let list = ShardLines.parseList(line) else {
                throw ShardedBuildError("\(input.name): line \(number) is not a list line (row<TAB>id score id score …)")
            }
            entriesOfRow[list.row, default: []].append(contentsOf: list.entries)
        }
        for row in entriesOfRow.keys.sorted() {
            output.write(ShardLines.listLine(row: row, entries: best(entriesOfRow[row]!, k: k)))
        }
    }

    /// The best `k` of candidate entries, each id once (a pair scored in two blocks has one canonical score).
    package static func best(_ entries: [(id: Int32, score: Float)], k: Int) -> ArraySlice<(id: Int32, score: Float)> {
        var sorted = entries.sorted { RankOrder.precedes($0.score, $0.id, $1.score, $1.id) }
        var seen = Set<Int32>()
        sorted.removeAll { !seen.insert($0.id).inserted }
        return sorted.prefix(k)
    }

    /// Step 6: writes an index of `input` (read once more: metadata, bodies and rows under `model`) with
    /// the merged `lists` (`options.k` long at most; `options.method` names how they were made), as
    /// `SeeAlsoEngine.build` does, holding the directory's writer lock.
    package static func writeIndex(_ input: ArchiveInput, model: TfidfModel, lists: LineInput, into directory: String,
                                   options: BuildOptions, progress: any ProgressReporter) throws -> BuildReport {
        try options.validate()
        return try IndexDirectory(path: directory).withWriter(waitSeconds: options.waitSeconds, purpose: .replace(force: options.force)) { session in
            var stages = StageRecorder()
            let reader = try input.reader()
            var fit = try SeeAlsoEngine.vectorize(reader, model: model, tfidf: model.configuration, keepTexts: options.keepTexts, progress: progress)
            stages.lap("read and vectorize")
            let merged = try readMergedLists(lists, rowCount: fit.matrix.rowCount, k: options.k)
            return try SeeAlsoEngine.build(&fit, sources: input.recordedSources, session: session,
                                           record: ChangeRecord(operation: "build", rebuilt: true), options: options, stages: stages,
                                           clusters: nil, computedLists: merged, progress: progress)
        }
    }

    /// Merged list lines as `NeighborLists` of `rowCount` rows: rows in range, each once, at most k
    /// entries in rank order, ids in range and never the row itself.
    package static func readMergedLists(_ input: LineInput, rowCount: Int, k: Int) throws -> NeighborLists {
        var ids = [Int32](repeating: -1, count: rowCount * k)
        var scores = [Float](repeating: 0, count: rowCount * k)
        var given = RowSet()
        try input.forEachLine { line, number in
            guard let list = ShardLines.parseList(line) else {
                throw ShardedBuildError("\(input.name): line \(number) is not a list line (row<TAB>id score id score …)")
            }
            let problem: String? = list.row >= rowCount ? "names row \(list.row) of an archive of \(rowCount) articles"
                : given.contains(list.row) ? "gives row \(list.row) a second time"
                : list.entries.count > k ? "lists \(list.entries.count) articles, more than k = \(k)"
                : list.entries.contains(where: { Int($0.id) >= rowCount || Int($0.id) == list.row }) ? "lists the row itself or a row outside the archive"
                : zip(list.entries, list.entries.dropFirst()).contains(where: { !RankOrder.precedes($0.score, $0.id, $1.score, $1.id) })
                    ? "is not in rank order (score descending, then row)" : nil
            if let problem { throw ShardedBuildError("\(input.name): line \(number) \(problem)") }
            given.insert(list.row)
            for (slot, entry) in list.entries.enumerated() {
                ids[list.row * k + slot] = entry.id
                scores[list.row * k + slot] = entry.score
            }
        }
        return NeighborLists(rowCount: rowCount, k: k, ids: ids, scores: scores)
    }
}

extension Array {
    /// The first index whose element satisfies `belongs`, for an array where every such element
    /// follows every other (binary search, O(log n)).
    fileprivate func partitionPoint(where belongs: (Element) -> Bool) -> Int {
        var low = 0, high = count
        while low < high {
            let middle = (low + high) / 2
            if belongs(self[middle]) { high = middle } else { low = middle + 1 }
        }
        return low
    }
}
