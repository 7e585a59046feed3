import Foundation
import Testing
import SeeAlsoCorpus
import SeeAlsoSupport
import SeeAlsoTestSupport

/// Reading a plain file in byte ranges on many threads (`nextPiece`) must give exactly what the
/// sequential reader (`nextBatch`) gives: the same records, line numbers, errors and skip reports,
/// wherever the range boundaries fall.
@Suite struct RangeReadingTests {
    /// Records of every kind the reader tells apart: valid ones, blank and whitespace lines, CRLF
    /// endings, malformed JSON, a repeated id, a line over the 60-byte limit; a byte-order mark first.
    static let mixedText = "\u{FEFF}{\"id\":\"a\",\"body\":\"first\"}\n\n  \r\n{\"id\":\"b\",\"body\":\"crlf\"}\r\n"
        + "{\"id\":\"c\",\"body\":\"café 東京\"}\n{not json}\n{\"id\":\"a\",\"body\":\"again\"}\n"
        + "{\"id\":\"long\",\"body\":\"" + String(repeating: "x", count: 80) + "\"}\n\n"
        + "{\"id\":\"d\",\"body\":\"no final newline\"}"

    /// What a read reports: the admitted articles and every skipped record's error (with
    /// `--skip-invalid`), or only the error thrown (without).
    struct Outcome: Equatable {
        var articles: [Article] = []
        var errors: [String] = []
    }

    /// Reads `paths` in order with `nextBatch` (one thread).
    static func readSequentially(_ paths: [String], _ options: CorpusOptions) -> Outcome {
        admitted(paths, options) { reader in
            var batches: [DecodedBatch] = []
            while let batch = try reader.nextBatch() { batches.append(reader.decode(batch)) }
            return batches
        }
    }

    /// Reads `paths` with `nextPiece`, decoding every piece on another thread in reverse order, then
    /// admitting them in input order.
    static func readInPieces(_ paths: [String], _ options: CorpusOptions) -> Outcome {
        admitted(paths, options) { reader in
            var read: [CorpusPiece] = []
            while let piece = try reader.nextPiece() { read.append(piece) }
            let pieces = read
            #expect(pieces.map(\.sequence) == Array(pieces.indices))
            let decoded = Locked([Result<DecodedBatch, any Error>?](repeating: nil, count: pieces.count))
            DispatchQueue.concurrentPerform(iterations: pieces.count) { index in
                let piece = pieces[pieces.count - 1 - index]
                let result = Result { try reader.decode(piece) }
                decoded.withLock { $0[piece.sequence] = result }
            }
            return try decoded.withLock({ $0 }).map { try $0!.get() }
        }
    }

    /// The articles a `CorpusValidator` admits from the batches `decode` returns, in order, and the
    /// skip reports (or the error thrown).
    static func admitted(_ paths: [String], _ options: CorpusOptions,
                         decode: (CorpusReader) throws -> [DecodedBatch]) -> Outcome {
        var outcome = Outcome()
        do {
            let reader = try CorpusReader(paths: paths, options: options)
            var validator = CorpusValidator(file: reader.path, skipInvalid: options.skipInvalid)
            for batch in try decode(reader) {
                for (record, keep) in zip(batch.records, try validator.admit(batch)) where keep {
                    outcome.articles.append(record.article!)
                }
            }
            outcome.errors = validator.skipped.errors.map(\.description)
            try validator.finish()
        } catch {
            outcome = Outcome(errors: ["thrown: \(error)"])
        }
        return outcome
    }

    @Test func everyRangeBoundaryGivesTheSequentialRecords() throws {
        try withTemporaryDirectory { dir in
            let path = try dir.write("mixed.jsonl", Self.mixedText)
            for skipInvalid in [true, false] {
                let expected = Self.readSequentially([path], options(skipInvalid: skipInvalid, maxRecordBytes: 60))
                #expect(expected.articles.map(\.id) == (skipInvalid ? ["a", "b", "c", "d"] : []))
                #expect(expected.errors.count == (skipInvalid ? 3 : 1))
                for rangeBytes in 1...Self.mixedText.utf8.count + 1 {
                    let pieces = Self.readInPieces([path], options(skipInvalid: skipInvalid, maxRecordBytes: 60, batchBytes: rangeBytes))
                    #expect(pieces == expected, "ranges of \(rangeBytes) bytes, skipInvalid \(skipInvalid)")
                }
            }
        }
    }

    @Test func generatedCorpusReadsTheSameInRangesOfEverySize() throws {
        try withTemporaryDirectory { dir in
            let corpus = BatchingTests.generatedCorpus(records: 3000, seed: 5)
            // Repeat some records so that duplicate-id messages check the articles' line numbers too.
            let lines = corpus.text.split(separator: "\n", omittingEmptySubsequences: false)
            let text = lines.enumerated().map { $0.offset % 97 == 50 ? lines[$0.offset / 2] : $0.element }.joined(separator: "\n")
            let path = try dir.write("generated.jsonl", text)
            let expected = Self.readSequentially([path], options(skipInvalid: true))
            #expect(expected.errors.count > 10)
            for rangeBytes in [7, 64, 1000, 4096, 65_536, CorpusOptions().batchBytes] {
                #expect(Self.readInPieces([path], options(skipInvalid: true, batchBytes: rangeBytes)) == expected, "\(rangeBytes)")
            }
        }
    }

    @Test func aLineOverTheLimitAcrossManyRangesIsScannedNotKept() throws {
        try withTemporaryDirectory { dir in
            let text = "{\"id\":\"a\",\"body\":\"x\"}\n{\"id\":\"big\",\"body\":\"" + String(repeating: "y", count: 100_000)
                + "\"}\r\n{\"id\":\"b\",\"body\":\"z\"}\n{\"id\":\"end\",\"body\":\"" + String(repeating: "w", count: 50_000) + "\"}"
            let path = try dir.write("big.jsonl", text)
            let expected = Self.readSequentially([path], options(skipInvalid: true, maxRecordBytes: 1000))
            #expect(expected.articles.map(\.id) == ["a", "b"])
            #expect(expected.errors.count == 2)
            for rangeBytes in [10, 4096, 40_000, 1 << 20] {
                #expect(Self.readInPieces([path], options(skipInvalid: true, maxRecordBytes: 1000, batchBytes: rangeBytes)) == expected)
            }
        }
    }

    @Test func severalInputsNumberTheirLinesEachFromOne() throws {
        try withTemporaryDirectory { dir in
            let first = try dir.write("first.jsonl", Self.mixedText)
            let zipped = try dir.gzip(try dir.write("second.jsonl", "\n{bad}\n{\"id\":\"z\",\"body\":\"zipped\"}\n"))
            let third = try dir.write("third.jsonl", "{\"id\":\"y\",\"body\":\"third\"}\n{\"id\":\"c\",\"body\":\"repeat\"}\n")
            let paths = [first, zipped, third]
            let expected = Self.readSequentially(paths, options(skipInvalid: true, maxRecordBytes: 60))
            #expect(expected.errors.contains { $0.hasPrefix(zipped + ":2:") })
            #expect(expected.errors.contains { $0.contains(":2: field 'id': duplicate id \"c\"") }, "\(expected.errors)")
            for rangeBytes in [1, 16, 100, 1 << 20] {
                #expect(Self.readInPieces(paths, options(skipInvalid: true, maxRecordBytes: 60, batchBytes: rangeBytes)) == expected)
            }
        }
    }

    @Test func plainFilesAreHandedOutAsRangesOthersAsBatches() throws {
        try withTemporaryDirectory { dir in
            let path = try dir.write("mixed.jsonl", Self.mixedText)
            func pieceCount(_ path: String) throws -> Int {
                let reader = try CorpusReader(path: path, options: options(batchBytes: 64))
                var count = 0
                while try reader.nextPiece() != nil { count += 1 }
                return count
            }
            #expect(try pieceCount(path) == (Self.mixedText.utf8.count + 63) / 64)
            let zipped = try dir.gzip(path)
            #expect(try pieceCount(zipped) == decodeAll(zipped, options(batchBytes: 64)).batchCount)
            // Nothing to read: no pieces, and the same empty-corpus error.
            for text in ["", "\u{FEFF}", "\n \n"] {
                let empty = try dir.write("empty.jsonl", text)
                #expect(try pieceCount(empty) == (text.utf8.count + 63) / 64)
                let expected = Self.readSequentially([empty], options())
                #expect(expected.errors.count == 1)
                #expect(Self.readInPieces([empty], options(batchBytes: 1)) == expected)
            }
        }
    }
}
