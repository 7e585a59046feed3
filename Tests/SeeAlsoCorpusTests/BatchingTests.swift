import Foundation
import Testing
import SeeAlsoCorpus
import SeeAlsoSupport
import SeeAlsoTestSupport

/// Reading must not depend on how the input is cut into batches (or compressed).
@Suite struct BatchingTests {
    /// A generated JSON Lines corpus: ~5000 records with escapes, multi-byte text, CRLF or LF endings,
    /// and blank lines between some records; returns the text and the expected articles and lines.
    static func generatedCorpus(records: Int = 5000, seed: UInt64 = 7) -> (text: String, articles: [Article], lines: [Int]) {
        var rng = SplitMix64(seed: seed)
        let words = ["alpha", "beta", "gamma", "café", "naïve", "Müller", "東京", "مرحبا", "😀", "ΣΟΦΙΑΣ", "tab\there",
                     "quote\"d", "back\\slash", "new\nline", "x", "12", "snake_case"]
        var text = ""
        var articles: [Article] = []
        var lines: [Int] = []
        var line = 1
        for index in 0..<records {
            while Int.random(in: 0..<10, using: &rng) == 0 {
                text += Bool.random(using: &rng) ? "\n" : " \r\n"
                line += 1
            }
            let count = Int.random(in: 0...60, using: &rng)
            let body = (0..<count).map { _ in words.randomElement(using: &rng)! }.joined(separator: " ")
            let title = Bool.random(using: &rng) ? words.randomElement(using: &rng)! : ""
            let day = Int64.random(in: 0...20_000, using: &rng)
            let date = ArticleDate(secondsSinceEpoch: day * 86_400, hasTime: false)
            let id = index % 3 == 0 ? String(index) : "doc-\(index)"
            let idJSON = index % 3 == 0 ? String(index) : jsonString(id)
            text += "{\"id\":\(idJSON),\"title\":\(jsonString(title)),\"body\":\(jsonString(body)),\"date\":\"\(date.description)\",\"extra\":{\"n\":[\(index),true,null]}}"
            text += Bool.random(using: &rng) ? "\n" : "\r\n"
            articles.append(Article(id: id, title: title, body: body, date: date))
            lines.append(line)
            line += 1
        }
        return (text, articles, lines)
    }

    @Test func identicalArticlesAndLinesForEveryBatchSize() throws {
        try withTemporaryDirectory { dir in
            let corpus = Self.generatedCorpus()
            let path = try dir.write("generated.jsonl", corpus.text)
            #expect(corpus.text.utf8.count > 500_000, "the file should span many read chunks")
            var results: [Int: DecodedRecords] = [:]
            for batchBytes in [64, 1000, CorpusOptions().batchBytes] {
                let records = try decodeAll(path, options(batchBytes: batchBytes))
                #expect(records.errors.isEmpty)
                #expect(records.articles == corpus.articles, "batchBytes \(batchBytes)")
                #expect(records.lines == corpus.lines, "batchBytes \(batchBytes)")
                results[batchBytes] = records
                #expect(try readArticles(path, options(batchBytes: batchBytes)) == corpus.articles)
            }
            // Small batches really do cut the input into several pieces.
            #expect(results[64]!.batchCount > 4)
            #expect(results[CorpusOptions().batchBytes]!.batchCount < results[64]!.batchCount)
        }
    }

    @Test func gzippedCorpusReadsTheSameForEveryBatchSize() throws {
        try withTemporaryDirectory { dir in
            let corpus = Self.generatedCorpus(records: 3000, seed: 11)
            let plain = try dir.write("generated.jsonl", corpus.text)
            let gzipped = try dir.gzip(plain)
            for batchBytes in [64, 1000, CorpusOptions().batchBytes] {
                let records = try decodeAll(gzipped, options(batchBytes: batchBytes))
                #expect(records.articles == corpus.articles)
                #expect(records.lines == corpus.lines)
            }
        }
    }

    @Test func batchesCanBeDecodedOutOfOrderAndOnOtherThreads() async throws {
        try await withTemporaryDirectory { dir in
            let corpus = Self.generatedCorpus(records: 2000, seed: 3)
            let path = try dir.write("generated.jsonl", corpus.text)
            let reader = try CorpusReader(path: path, options: options(batchBytes: 64))
            var batches: [RecordBatch] = []
            while let batch = try reader.nextBatch() { batches.append(batch) }
            let decoded = await withTaskGroup(of: DecodedBatch.self) { group in
                for batch in batches.reversed() { group.addTask { reader.decode(batch) } }
                var all: [DecodedBatch] = []
                for await batch in group { all.append(batch) }
                return all.sorted { $0.sequence < $1.sequence }
            }
            #expect(decoded.map(\.sequence) == Array(0..<batches.count))
            #expect(decoded.flatMap { $0.records.compactMap(\.article) } == corpus.articles)
        }
    }
}
