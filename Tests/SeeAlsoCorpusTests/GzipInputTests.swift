import Foundation
import Testing
import SeeAlsoCorpus
import SeeAlsoSupport
import SeeAlsoTestSupport

/// Gzip-compressed input: same articles as the plain file; damaged files are refused, not crashed on.
@Suite struct GzipInputTests {
    static let sample = jsonl([
        #"{"id":"a1","title":"First","body":"Hello world","date":"2017-02-07T10:30:00+02:00","url":"https://example.com/a1","label":"politics","event":"e1","lang":"en"}"#,
        "",
        #"{"id":12,"text":"numeric id, text field"}"#,
        #"{"id":"e","body":"caf\u00e9 \ud83d\ude00 \"q\"","title":null}"#,
    ])

    @Test func gzippedFileGivesIdenticalArticles() throws {
        try withTemporaryDirectory { dir in
            let plain = try dir.write("sample.jsonl", Self.sample)
            let gzipped = try dir.gzip(plain)
            #expect(gzipped.hasSuffix(".jsonl.gz"))
            let reader = try CorpusReader(path: gzipped)
            #expect(reader.format == .jsonl)
            let expected = try decodeAll(plain)
            #expect(expected.articles.count == 3)
            let actual = try decodeAll(gzipped)
            #expect(actual.articles == expected.articles)
            #expect(actual.lines == expected.lines)
            #expect(actual.lines == [1, 3, 4])
        }
    }

    @Test func gzipIsDetectedByContentNotByName() throws {
        try withTemporaryDirectory { dir in
            let plain = try dir.write("sample.jsonl", Self.sample)
            let gzipped = try dir.gzip(plain)
            let renamed = dir.path("compressed-without-extension.jsonl")
            try FileManager.default.moveItem(atPath: gzipped, toPath: renamed)
            #expect(try readArticles(renamed) == readArticles(plain))
        }
    }

    @Test func concatenatedGzipMembersAreReadInOrder() throws {
        try withTemporaryDirectory { dir in
            let first = try dir.gzip(try dir.write("one.jsonl", jsonl([#"{"id":"a","body":"one"}"#])))
            let second = try dir.gzip(try dir.write("two.jsonl", jsonl([#"{"id":"b","body":"two"}"#])))
            let joined = try Data(contentsOf: URL(fileURLWithPath: first)) + Data(contentsOf: URL(fileURLWithPath: second))
            let path = try dir.write("both.jsonl.gz", bytes: Array(joined))
            let records = try decodeAll(path)
            #expect(records.articles.map(\.id) == ["a", "b"])
            #expect(records.lines == [1, 2])
        }
    }

    /// What `gzip -t` reports is an error here too, never a silently shorter archive: a damaged second
    /// member (header or data) and bytes after the last member that are not gzip.
    @Test(arguments: ["second member header", "second member data", "trailing text", "trailing zeros"])
    func damageAfterTheFirstMemberIsAnError(_ damage: String) throws {
        try withTemporaryDirectory { dir in
            let first = try Data(contentsOf: URL(fileURLWithPath: try dir.gzip(try dir.write("one.jsonl", jsonl([#"{"id":"a","body":"one"}"#])))))
            let records = (0..<200).map { #"{"id":"b\#($0)","body":"two \#($0) words words words"}"# }
            var second = try Data(contentsOf: URL(fileURLWithPath: try dir.gzip(try dir.write("two.jsonl", jsonl(records)))))
            var bytes: Data
            switch damage {
            case "second member header": second[3] = 0xFF; bytes = first + second      // reserved flag bits set
            case "second member data": second[second.count / 2] ^= 0x55; bytes = first + second
            case "trailing text": bytes = first + second + Data("not gzip\n".utf8)
            default: bytes = first + second + Data(repeating: 0, count: 16)
            }
            let path = try dir.write("damaged.jsonl.gz", bytes: Array(bytes))
            let error = expectCorpusError(.unreadableFile, file: path, line: nil, field: nil) { _ = try readArticles(path) }
            #expect(error?.message.contains("corrupt gzip at byte") == true, "\(String(describing: error))")
        }
    }

    @Test func bomInsideGzipIsDropped() throws {
        try withTemporaryDirectory { dir in
            let plain = try dir.write("bom.jsonl", bytes: [0xEF, 0xBB, 0xBF] + Array(jsonl([#"{"id":"a","body":"x"}"#]).utf8))
            #expect(try readArticles(try dir.gzip(plain)) == [Article(id: "a", body: "x")])
        }
    }

    /// A corpus large enough that its gzip has a long deflate stream to damage.
    private func compressedCorpus(_ dir: TemporaryDirectory) throws -> (plain: String, gzipped: String, bytes: [UInt8]) {
        var rng = SplitMix64(seed: 99)
        let words = ["council", "budget", "vote", "march", "city", "mayor", "rain", "goal", "match", "euro"]
        let lines = (0..<4000).map { index in
            let body = (0..<20).map { _ in words.randomElement(using: &rng)! + String(Int.random(in: 0..<1000, using: &rng)) }
            return #"{"id":"r\#(index)","body":"\#(body.joined(separator: " "))"}"#
        }
        let plain = try dir.write("corpus.jsonl", jsonl(lines))
        let gzipped = try dir.gzip(plain)
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: gzipped)))
        return (plain, gzipped, bytes)
    }

    @Test func corruptDeflateDataIsAnUnreadableFile() throws {
        try withTemporaryDirectory { dir in
            var (_, _, bytes) = try compressedCorpus(dir)
            #expect(bytes.count > 20_000)
            for index in stride(from: bytes.count / 2, to: bytes.count / 2 + 64, by: 1) { bytes[index] ^= 0xA5 }
            let path = try dir.write("corrupt.jsonl.gz", bytes: bytes)
            let error = expectCorpusError(.unreadableFile, file: path, line: nil, field: nil) { _ = try readArticles(path) }
            #expect(error?.message.contains("gzip") == true)
        }
    }

    @Test func wrongChecksumIsAnUnreadableFile() throws {
        try withTemporaryDirectory { dir in
            var (_, _, bytes) = try compressedCorpus(dir)
            bytes[bytes.count - 8] ^= 0xFF // first byte of the CRC-32 trailer
            let path = try dir.write("bad-crc.jsonl.gz", bytes: bytes)
            expectCorpusError(.unreadableFile, file: path, line: nil, field: nil) { _ = try readArticles(path) }
        }
    }

    @Test func garbageAfterAGzipHeaderIsAnUnreadableFile() throws {
        try withTemporaryDirectory { dir in
            var rng = SplitMix64(seed: 5)
            let header: [UInt8] = [0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03]
            let garbage = (0..<4096).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let path = try dir.write("garbage.jsonl.gz", bytes: header + garbage)
            expectCorpusError(.unreadableFile, file: path, line: nil, field: nil) { _ = try readArticles(path) }
        }
    }

    /// zlib's `gzread` reports a file that ends in the middle of a gzip stream only through `gzerror`
    /// (Z_BUF_ERROR), not through its return value; ByteSource.read takes the 0 for a normal end of
    /// file, so the decompressed prefix is read as if it were the whole corpus.
    @Test(arguments: [0.5, 0.9])
    func truncatedDeflateStreamIsAnUnreadableFile(fraction: Double) throws {
        try withTemporaryDirectory { dir in
            let (_, _, bytes) = try compressedCorpus(dir)
            let path = try dir.write("truncated.jsonl.gz", bytes: Array(bytes.prefix(Int(Double(bytes.count) * fraction))))
            expectCorpusError(.unreadableFile, file: path, line: nil, field: nil) { _ = try readArticles(path) }
            // Whatever is reported, it is an error, not a crash or a silently shorter corpus.
            #expect(throws: CorpusError.self) { _ = try readArticles(path) }
        }
    }

    @Test func missingGzipTrailerIsAnUnreadableFile() throws {
        try withTemporaryDirectory { dir in
            let (_, _, bytes) = try compressedCorpus(dir)
            // Every line decompresses, but the CRC-32 and length that prove it are gone.
            let path = try dir.write("no-trailer.jsonl.gz", bytes: Array(bytes.dropLast(8)))
            expectCorpusError(.unreadableFile, file: path, line: nil, field: nil) { _ = try readArticles(path) }
        }
    }

    @Test func truncatedAtALineBoundaryIsNotSilentlyShorter() throws {
        try withTemporaryDirectory { dir in
            // Two gzip members; a file cut just after the second member's header decompresses to
            // exactly the complete lines of the first member.
            let lines = (0..<2000).map { #"{"id":"r\#($0)","body":"text \#($0)"}"# }
            let first = try dir.gzip(try dir.write("first.jsonl", jsonl(Array(lines[..<1000]))))
            let second = try dir.gzip(try dir.write("second.jsonl", jsonl(Array(lines[1000...]))))
            let firstBytes = Array(try Data(contentsOf: URL(fileURLWithPath: first)))
            let secondBytes = Array(try Data(contentsOf: URL(fileURLWithPath: second)))
            #expect(try readArticles(try dir.write("whole.jsonl.gz", bytes: firstBytes + secondBytes)).count == 2000)
            let path = try dir.write("cut.jsonl.gz", bytes: firstBytes + secondBytes.prefix(20))
            expectCorpusError(.unreadableFile, file: path, line: nil, field: nil) { _ = try readArticles(path) }
        }
    }
}
