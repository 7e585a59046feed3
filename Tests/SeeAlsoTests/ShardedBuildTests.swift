import Foundation
import Testing
import SeeAlso
import SeeAlsoTestSupport

/// The sharded build's steps (what scripts/spark runs on executors) against the one-machine build:
/// same model, same lists score for score, whatever the shard count; bad lines named, never trusted.
@Suite struct ShardedBuildTests {
    static let world = NewsWorld(seed: 41, topicCount: 5, storiesPerTopic: 4)

    /// Runs every step on `shards` contiguous parts of `articles` as a scheduler would, through files.
    static func shardedIndex(_ articles: [Article], shards: Int, k: Int, in scratch: TemporaryDirectory, name: String) throws -> String {
        let size = (articles.count + shards - 1) / shards
        let parts = stride(from: 0, to: articles.count, by: size).map { Array(articles[$0..<min(articles.count, $0 + size)]) }
        let partPaths = try parts.enumerated().map { try writeJSONL($0.element, to: scratch.path("\(name)-part\($0.offset).jsonl")) }
        let tfidf = TfidfConfiguration.news
        // 1-2. Term counts per part, concatenated (the model step sums repeated terms), one model.
        let counts = scratch.path("\(name)-counts.tsv")
        do {
            let output = try LineOutput(path: counts)
            for path in partPaths { try ShardedBuild.writeTermStatistics(of: ArchiveInput(path), tfidf: tfidf, to: output) }
        }
        let model = try ShardedBuild.fitModel(statistics: try LineInput(path: counts), tfidf: tfidf)
        // 3. Vectors per part, numbered from the part's first row.
        var vectorPaths: [String] = []
        for (index, path) in partPaths.enumerated() {
            let vectors = scratch.path("\(name)-vectors\(index).tsv")
            do {
                let output = try LineOutput(path: vectors)
                try ShardedBuild.writeVectors(of: ArchiveInput(path), model: model, firstRow: index * size, to: output)
            }
            vectorPaths.append(vectors)
        }
        // 4. Every part alone and every pair of parts (rows of both in one input, split at the second's first row).
        let candidates = scratch.path("\(name)-candidates.tsv")
        do {
            let output = try LineOutput(path: candidates)
            for i in parts.indices {
                for j in i..<parts.count {
                    let input = try scratch.write("\(name)-pair\(i)-\(j).tsv",
                                                  try [i, j].uniqued().map { try String(contentsOfFile: vectorPaths[$0], encoding: .utf8) }.joined())
                    let rows = try ShardedBuild.readRows(try LineInput(path: input), columnCount: model.vocabulary.count)
                    ShardedBuild.writeCandidateLists(rows, split: i == j ? nil : j * size, k: k, to: output)
                }
            }
        }
        // 5-6. Merged lists, then the index.
        let merged = scratch.path("\(name)-merged.tsv")
        do { try ShardedBuild.mergeLists(try LineInput(path: candidates), k: k, to: try LineOutput(path: merged)) }
        let whole = try writeJSONL(articles, to: scratch.path("\(name)-all.jsonl"))
        var options = BuildOptions()
        options.k = k
        options.method = .exact
        _ = try ShardedBuild.writeIndex(ArchiveInput(whole), model: model, lists: try LineInput(path: merged),
                                        into: scratch.path(name), options: options, progress: SilentProgress())
        return scratch.path(name)
    }

    @Test(arguments: [1, 2, 3, 7])
    func shardedStepsEqualTheExactBuild(shards: Int) throws {
        try withTemporaryDirectory { scratch in
            let articles = Self.world.articles(count: 260, seed: 3)
            var options = BuildOptions()
            options.k = 8
            options.method = .exact
            try EngineFixtures.build(articles, in: scratch, index: "reference", options: options)
            let sharded = try Index(path: try Self.shardedIndex(articles, shards: shards, k: 8, in: scratch, name: "sharded"), verify: true)
            let reference = try Index(path: scratch.path("reference"))
            #expect(sharded.model().vocabulary == reference.model().vocabulary)
            #expect(sharded.model().idf == reference.model().idf)
            #expect(sharded.matrix() == reference.matrix())
            #expect(sharded.allMetadata() == reference.allMetadata())
            let difference = BruteForce.differences(sharded.lists(), reference.lists())
            #expect(difference.rows.isEmpty, "\(shards) shards: \(difference.rows.count) rows differ: \(difference.detail)")
            #expect(sharded.lists().ids.contains { $0 >= 0 })
        }
    }

    /// The blocks scored with `runCross` and `run`, merged, equal `run` on the whole matrix bit for bit,
    /// for shard counts and tile layouts that cut tiles and blocks anywhere.
    @Test(arguments: [(rows: 97, shards: 2), (rows: 230, shards: 3), (rows: 230, shards: 6), (rows: 64, shards: 5)])
    func mergedBlocksEqualAllPairs(rows: Int, shards: Int) {
        let matrix = TestMatrices.plantedSparse(clusters: 6, perCluster: rows / 6 + 1, seed: UInt64(rows * shards)).0.selectingRows(Array(0..<rows))
        let k = 6
        let whole = ExactAllPairs.run(matrix, options: .init(k: k))
        let size = (rows + shards - 1) / shards
        let starts = Array(stride(from: 0, to: rows, by: size))
        var entries = [[(id: Int32, score: Float)]](repeating: [], count: rows)
        for (layoutIndex, layout) in [(rowTile: 128, columnBlock: 16_384), (rowTile: 7, columnBlock: 20)].enumerated() {
            for i in starts.indices {
                for j in i..<starts.count {
                    let blockRows = Array(starts[i]..<min(rows, starts[i] + size)) + (i == j ? [] : Array(starts[j]..<min(rows, starts[j] + size)))
                    var options = ExactAllPairs.Options(k: k)
                    options.rowTile = layout.rowTile
                    options.columnBlock = layout.columnBlock
                    let block = matrix.selectingRows(blockRows)
                    let lists = i == j ? ExactAllPairs.run(block, options: options)
                        : ExactAllPairs.runCross(block, split: min(rows, starts[i] + size) - starts[i], options: options)
                    for local in blockRows.indices {
                        entries[blockRows[local]] += lists.neighbors(of: local).map { (Int32(blockRows[$0.id]), $0.score) }
                    }
                }
            }
            var ids = [Int32](repeating: -1, count: rows * k)
            var scores = [Float](repeating: 0, count: rows * k)
            for row in 0..<rows {
                for (slot, entry) in ShardedBuild.best(entries[row], k: k).enumerated() {
                    ids[row * k + slot] = entry.id
                    scores[row * k + slot] = entry.score
                }
                entries[row] = []
            }
            let merged = NeighborLists(rowCount: rows, k: k, ids: ids, scores: scores)
            let difference = BruteForce.differences(merged, whole)
            #expect(difference.rows.isEmpty, "layout \(layoutIndex), \(shards) shards: \(difference.detail)")
        }
    }

    /// Cross lists hold only rows of the other side, and are the brute-force best there.
    @Test func crossListsEqualBruteForceAcrossTheSplit() {
        let matrix = TestMatrices.randomSparse(rows: 150, columns: 60, density: 0.08, seed: 5)
        let split = 61
        var truth = BruteForce.scores(matrix)
        for row in 0..<150 {
            for other in 0..<150 where (row < split) == (other < split) { truth[row][other] = -1 }
        }
        let lists = ExactAllPairs.runCross(matrix, split: split, options: .init(k: 7))
        let problems = BruteForce.problems(lists, truth: truth, k: 7)
        #expect(problems.isEmpty, "\(problems.prefix(5).joined(separator: "\n"))")
    }

    static func message(_ body: () throws -> Void) -> String {
        do { try body() } catch { return "\(error)" }
        return "no error"
    }

    /// In a partition, residents are listed against residents and visitors, visitors against residents only.
    @Test func partitionListsEqualBruteForceOverWhatEachRowMeets() throws {
        try withTemporaryDirectory { scratch in
            let matrix = TestMatrices.randomSparse(rows: 90, columns: 40, density: 0.1, seed: 8)
            let visitorRows = Set(stride(from: 1, to: 90, by: 3))
            var truth = BruteForce.scores(matrix)
            for row in 0..<90 {
                for other in 0..<90 where visitorRows.contains(row) && visitorRows.contains(other) { truth[row][other] = -1 }
            }
            let residents = (0..<90).filter { !visitorRows.contains($0) }, visitors = visitorRows.sorted()
            let output = scratch.path("lists.tsv")
            do {
                ShardedBuild.writeCandidateLists(residents: ShardedBuild.Rows(matrix: matrix.selectingRows(residents), archiveRows: residents),
                                                 visitors: ShardedBuild.Rows(matrix: matrix.selectingRows(visitors), archiveRows: visitors),
                                                 k: 5, to: try LineOutput(path: output))
            }
            let merged = scratch.path("merged.tsv")
            do { try ShardedBuild.mergeLists(try LineInput(path: output), k: 5, to: try LineOutput(path: merged)) }
            let lists = try ShardedBuild.readMergedLists(try LineInput(path: merged), rowCount: 90, k: 5)
            let problems = BruteForce.problems(lists, truth: truth, k: 5)
            #expect(problems.isEmpty, "\(problems.prefix(5).joined(separator: "\n"))")
        }
    }

    @Test func badLinesAreRefusedWithTheirLineNumber() throws {
        try withTemporaryDirectory { scratch in
            let counts = try scratch.write("counts.tsv", "#documents\t3\nword\t2\t5\nbroken line\n")
            #expect(Self.message { _ = try ShardedBuild.fitModel(statistics: try LineInput(path: counts), tfidf: .news) }
                .contains("counts.tsv: line 3 is not \"term<TAB>df<TAB>tf\""))
            let noDocuments = try scratch.write("nodocs.tsv", "word\t2\t5\n")
            #expect(Self.message { _ = try ShardedBuild.fitModel(statistics: try LineInput(path: noDocuments), tfidf: .news) }
                .contains("no #documents line"))
            let vector = ShardLines.vectorLine(row: 4, columns: [1, 9], values: [0.6, 0.8])
            let vectors = try scratch.write("vectors.tsv", vector + "\n" + vector + "\n")
            #expect(Self.message { _ = try ShardedBuild.readRows(try LineInput(path: vectors), columnCount: 10) }.contains("row 4 is given twice"))
            #expect(Self.message { _ = try ShardedBuild.readRows(try LineInput(path: vectors), columnCount: 9) }.contains("vectors.tsv: line 1 is not a vector line"))
            let cases = [("5\t1 0.5\n", "names row 5 of an archive of 3"), ("0\t1 0.5\n0\t2 0.4\n", "line 2 gives row 0 a second time"),
                         ("1\t1 0.5\n", "lists the row itself"), ("0\t1 0.4 2 0.5\n", "is not in rank order"),
                         ("0\t1 0.5 2\n", "line 1 is not a list line"), ("0\t1 nan\n", "is not a list line")]
            for (text, expected) in cases {
                let lists = try scratch.write("lists.tsv", text)
                var found = "no error"
                do { _ = try ShardedBuild.readMergedLists(try LineInput(path: lists), rowCount: 3, k: 2) } catch { found = "\(error)" }
                #expect(found.contains(expected), "\(text.debugDescription): \(found)")
            }
        }
    }

    /// The worker subcommands exit non-zero with the step's message, and write nothing.
    @Test func workerCommandsFailLoudly() throws {
        try withTemporaryDirectory { scratch in
            let counts = try scratch.write("counts.tsv", "#documents\t2\nword\tmany\t5\n")
            let model = scratch.path("model.json")
            let fit = try SeeAlsoExecutable.run(["worker", "fit-model", "--counts", counts, "--output", model])
            #expect(fit.exited && fit.status != 0 && fit.error.contains("counts.tsv: line 2 is not"), "\(fit.error)")
            #expect(!FileManager.default.fileExists(atPath: model))
            let lists = try scratch.write("lists.tsv", "0\t1 0.5\n")
            let archive = try writeJSONL(Self.world.articles(count: 20, seed: 1), to: scratch.path("a.jsonl"))
            let write = try SeeAlsoExecutable.run(["worker", "write-index", "--input", archive, "--model", scratch.path("missing.json"),
                                                   "--lists", lists, "--index", scratch.path("index")])
            #expect(write.exited && write.status != 0 && write.error.contains("missing.json"), "\(write.error)")
            let k = try SeeAlsoExecutable.run(["worker", "merge", "--k", "0"])
            #expect(k.exited && k.status != 0 && k.error.contains("--k must be between 1 and"), "\(k.error)")
        }
    }

    /// Every merged row's entries are each id once, best first, at most k; rows come out in order.
    @Test func mergeKeepsTheBestOfEveryLineOnce() throws {
        try withTemporaryDirectory { scratch in
            let input = try scratch.write("candidates.tsv", "7\t3 0.5 1 0.25\n2\t9 0.75\n7\t1 0.25 4 0.5 8 0.125\n")
            let output = scratch.path("merged.tsv")
            do { try ShardedBuild.mergeLists(try LineInput(path: input), k: 3, to: try LineOutput(path: output)) }
            #expect(try String(contentsOfFile: output, encoding: .utf8) == "2\t9 0.75\n7\t3 0.5 4 0.5 1 0.25\n")
        }
    }

    @Test func partitionerFileRoundTripsAndRefusesDamage() throws {
        try withTemporaryDirectory { scratch in
            let matrix = TestMatrices.plantedSparse(clusters: 4, perCluster: 30, seed: 9).0
            let rows = ShardedBuild.Rows(matrix: matrix, archiveRows: Array(0..<matrix.rowCount))
            let partitioner = try ShardPartitioner.train(rows, partitions: 4, dimensions: 6, seed: 2)
            let path = scratch.path("partitioner.bin")
            try partitioner.save(to: path)
            let loaded = try ShardPartitioner.load(path)
            #expect(loaded.centroids == partitioner.centroids)
            #expect(loaded.svd.rightSingularVectors == partitioner.svd.rightSingularVectors)
            #expect(loaded.svd.singularValues == partitioner.svd.singularValues)
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
            for damaged in [Array(bytes.dropLast(4)), Array(bytes.prefix(20)), [UInt8](repeating: 0, count: bytes.count)] {
                let broken = try scratch.write("broken.bin", bytes: damaged)
                #expect(throws: ShardedBuildError.self) { _ = try ShardPartitioner.load(broken) }
            }
            // Each row goes to `probes` distinct partitions: a resident of its nearest, a visitor of the next.
            let assigned = scratch.path("assigned.tsv")
            do { loaded.writeAssignments(rows, probes: 2, to: try LineOutput(path: assigned)) }
            let lines = try String(contentsOfFile: assigned, encoding: .utf8).split(separator: "\n").map { $0.split(separator: "\t") }
            #expect(lines.count == 2 * matrix.rowCount)
            for pair in stride(from: 0, to: lines.count, by: 2) {
                #expect(lines[pair][0] != lines[pair + 1][0])
                #expect(lines[pair][1] == "R" && lines[pair + 1][1] == "V")
                #expect(lines[pair].dropFirst(2) == lines[pair + 1].dropFirst(2))
            }
        }
    }
}

private extension Array where Element: Hashable {
    func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}
