import Foundation
import Testing
import SeeAlsoCorpus
import SeeAlsoTestSupport

/// `skipInvalid`: bad records are reported in input order and the good ones kept in order.
@Suite struct SkipInvalidTests {
    /// Line number → (kind, field) of each bad record of `mixedFile`.
    static let badLines: [(line: Int, kind: CorpusError.Kind, field: String?)] = [
        (2, .malformedJSON, "id"),
        (4, .invalidUTF8, "body"),
        (6, .missingField, "id"),
        (7, .missingField, "id"),
        (8, .missingField, "body"),
        (9, .wrongType, "title"),
        (11, .duplicateID, "id"),
        (12, .invalidDate, "date"),
        (13, .recordTooLarge, nil),
        (16, .duplicateID, "id"),
    ]

    static func mixedFile() -> [UInt8] {
        var lines: [[UInt8]] = [
            Array(#"{"id":"g1","body":"good one"}"#.utf8),                          // 1
            Array(#"{"id":"m""#.utf8),                                             // 2 malformed
            Array(#"{"id":"g2","body":"good two"}"#.utf8),                          // 3
            Array(#"{"id":"u","body":"bad "#.utf8) + [0xFF] + Array(#""}"#.utf8),  // 4 invalid UTF-8
            [],                                                                    // 5 blank
            Array(#"{"body":"no id"}"#.utf8),                                      // 6
            Array(#"{"id":"","body":"empty id"}"#.utf8),                           // 7
            Array(#"{"id":"nb","title":"no body"}"#.utf8),                         // 8
            Array(#"{"id":"wt","title":7,"body":"x"}"#.utf8),                      // 9
            Array(#"{"id":"g3","body":"good three"}"#.utf8),                        // 10
            Array(#"{"id":"g1","body":"duplicate"}"#.utf8),                         // 11
            Array(#"{"id":"d","body":"x","date":"2017-02-30"}"#.utf8),             // 12
            Array((#"{"id":"big","body":""# + String(repeating: "b", count: 400) + #""}"#).utf8), // 13
            Array(#"{"id":"g4","body":"good four"}"#.utf8),                         // 14
            Array(#"{"id":"m","body":"the malformed line's id is free"}"#.utf8),   // 15
            Array(#"{"id":"g1","body":"duplicate again"}"#.utf8),                   // 16
        ]
        lines.append(Array(#"{"id":"g5","body":"good five, no final newline"}"#.utf8)) // 17
        return Array(lines.joined(separator: [0x0A]))
    }

    @Test func keepsTheGoodRecordsAndListsTheBadOnesInOrder() throws {
        try withTemporaryDirectory { dir in
            let path = try dir.write("mixed.jsonl", bytes: Self.mixedFile())
            for batchBytes in [64, 1 << 20] {
                let result = try CorpusReader(path: path, options: options(skipInvalid: true, maxRecordBytes: 300, batchBytes: batchBytes)).readAll()
                #expect(result.articles.map(\.id) == ["g1", "g2", "g3", "g4", "m", "g5"])
                #expect(result.articles.first?.body == "good one")
                #expect(result.skipped.count == Self.badLines.count)
                #expect(result.skipped.errors.map(\.line) == Self.badLines.map(\.line))
                for (error, expected) in zip(result.skipped.errors, Self.badLines) {
                    checkCorpusError(error, expected.kind, file: path, line: expected.line, field: expected.field)
                }
                // A repeated duplicate names the first admitted occurrence.
                #expect(result.skipped.errors.last?.message.contains("line 1") == true)
            }
        }
    }

    @Test func withoutSkipInvalidTheFirstBadRecordStopsTheRead() throws {
        try withTemporaryDirectory { dir in
            let path = try dir.write("mixed.jsonl", bytes: Self.mixedFile())
            expectCorpusError(.malformedJSON, file: path, line: 2, field: "id") {
                _ = try readArticles(path, options(maxRecordBytes: 300))
            }
        }
    }

    @Test func summaryMentionsTheCountAndTheLines() throws {
        try withTemporaryDirectory { dir in
            let path = try dir.write("mixed.jsonl", bytes: Self.mixedFile())
            let skipped = try CorpusReader(path: path, options: options(skipInvalid: true, maxRecordBytes: 300)).readAll().skipped
            let summary = skipped.summary()
            #expect(summary.hasPrefix("skipped 10 invalid records"))
            #expect(summary.contains("(lines 2, 4, 6, 7, 8, 9, 11, 12, 13, 16)"))
            #expect(summary.contains("first: \(path):2: "))
            let short = skipped.summary(limit: 3)
            #expect(short.hasPrefix("skipped 10 invalid records (lines 2, 4, 6, …); first: "))
        }
    }

    /// Records of several files (a folder: one record per file) are listed as FILE:LINE, not as lines alone.
    @Test func summaryNamesEachFileOfAFolder() throws {
        try withTemporaryDirectory { dir in
            _ = try dir.write("folder/a.txt", "Good\nbody")
            let bad = try ["folder/b.txt", "folder/d.txt", "folder/sub/c.md"].map { try dir.write($0, bytes: [0x54, 0x0A, 0xFF]) }
            let skipped = try CorpusReader(path: dir.path("folder"), options: options(skipInvalid: true)).readAll().skipped
            #expect(skipped.summary().hasPrefix("skipped 3 invalid records (\(bad.map { $0 + ":1" }.joined(separator: ", "))); first: \(bad[0]):1: "),
                    "\(skipped.summary())")
        }
    }

    /// An unterminated quote makes the rest of a CSV file one bad record: its message names the lines lost.
    @Test func anUnterminatedQuoteNamesTheLinesItSwallows() throws {
        try withTemporaryDirectory { dir in
            let path = try dir.write("quote.csv", "id,title,body\n1,t,good one\n2,\"bad,body\n3,t,lost\n4,t,lost too\n")
            let result = try CorpusReader(path: path, options: options(skipInvalid: true)).readAll()
            #expect(result.articles.map(\.id) == ["1"])
            #expect(result.skipped.errors.map(\.message) == ["unterminated quoted field (a '\"' opened here is never closed, so lines 3–5 are lost)"])
        }
    }

    @Test func summaryOfOneRecordIsSingular() throws {
        try withTemporaryDirectory { dir in
            let path = try dir.write("one.jsonl", jsonl([#"{"id":"a","body":"x"}"#, #"{"id":"a","body":"x"}"#]))
            let skipped = try CorpusReader(path: path, options: options(skipInvalid: true)).readAll().skipped
            #expect(skipped.summary().hasPrefix("skipped 1 invalid record (lines 2)"))
        }
    }

    @Test func everyRecordBadIsAnEmptyCorpus() throws {
        try withTemporaryDirectory { dir in
            let path = try dir.write("all-bad.jsonl", jsonl([
                #"{"id":"a"}"#,
                "not json",
                "",
                #"{"id":"c","body":"x","date":"yesterday"}"#,
            ]))
            let error = expectCorpusError(.emptyCorpus, file: path, line: nil, field: nil) {
                _ = try readArticles(path, options(skipInvalid: true))
            }
            #expect(error?.message.contains("every record was invalid") == true)
            #expect(error?.message.contains("skipped 3 invalid records (lines 1, 2, 4)") == true)
        }
    }

    @Test func validatorAdmitsBatchesInOrder() throws {
        var validator = CorpusValidator(file: "memory", skipInvalid: true)
        let first = DecodedBatch(sequence: 0, records: [
            .article(Article(id: "a", body: "x"), line: 1),
            .invalid(CorpusError(.malformedJSON, file: "memory", line: 2, "bad")),
            .article(Article(id: "b", body: "x"), line: 3),
        ])
        let second = DecodedBatch(sequence: 1, records: [
            .article(Article(id: "a", body: "again"), line: 4),
            .article(Article(id: "c", body: "x"), line: 5),
        ])
        #expect(try validator.admit(first) == [true, false, true])
        #expect(try validator.admit(second) == [false, true])
        #expect(validator.acceptedCount == 3)
        #expect(validator.skipped.errors.map(\.line) == [2, 4])
        #expect(validator.skipped.errors.map(\.kind) == [.malformedJSON, .duplicateID])
        try validator.finish()

        var strict = CorpusValidator(file: "memory", skipInvalid: false)
        #expect(throws: CorpusError.self) { try strict.admit(first) }
        let empty = CorpusValidator(file: "memory", skipInvalid: false)
        expectCorpusError(.emptyCorpus, file: "memory", line: nil, field: nil) { try empty.finish() }
    }
}
