import Foundation
import Testing
import SeeAlsoCorpus
import SeeAlsoSupport
import SeeAlsoTestSupport

/// JSON Lines input that must be refused, with the error located by file, line and field.
/// Each bad record sits on line 3, after a good record and a blank line.
@Suite struct JSONLErrorTests {
    static let good = #"{"id":"good","body":"fine"}"#

    /// Writes a file whose line 3 is `bad` (bytes), reads it and checks the error.
    private func expectBadLine(
        _ bad: [UInt8], _ kind: CorpusError.Kind, field: String?,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> CorpusError? {
        try withTemporaryDirectory { dir in
            let bytes = Array((Self.good + "\n\n").utf8) + bad + Array("\n".utf8) + Array((#"{"id":"after","body":"x"}"# + "\n").utf8)
            let path = try dir.write("bad.jsonl", bytes: bytes)
            return expectCorpusError(kind, file: path, line: 3, field: field, sourceLocation: sourceLocation) {
                _ = try readArticles(path)
            }
        }
    }

    private func expectBadLine(
        _ bad: String, _ kind: CorpusError.Kind, field: String?, sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> CorpusError? {
        try expectBadLine(Array(bad.utf8), kind, field: field, sourceLocation: sourceLocation)
    }

    struct MalformedCase: Sendable, CustomTestStringConvertible {
        var name: String
        var line: String
        var field: String?
        var testDescription: String { name }
    }

    static let malformed: [MalformedCase] = [
        MalformedCase(name: "missing closing brace", line: #"{"id":"x","body":"y""#, field: "body"),
        MalformedCase(name: "trailing garbage", line: #"{"id":"x","body":"y"} extra"#, field: nil),
        MalformedCase(name: "second object", line: #"{"id":"x","body":"y"}{"id":"z"}"#, field: nil),
        MalformedCase(name: "bad escape", line: #"{"id":"x","body":"bad \q escape"}"#, field: "body"),
        MalformedCase(name: "bad unicode escape", line: #"{"id":"x","body":"bad \u12G4"}"#, field: "body"),
        MalformedCase(name: "truncated unicode escape", line: #"{"id":"x","body":"\u12"#, field: "body"),
        MalformedCase(name: "unterminated string", line: #"{"id":"x","body":"never closed}"#, field: "body"),
        MalformedCase(name: "unterminated key", line: #"{"id":"x","bo"#, field: nil),
        MalformedCase(name: "bare tab in string", line: "{\"id\":\"x\",\"body\":\"tab\there\"}", field: "body"),
        MalformedCase(name: "bare control character in string", line: "{\"id\":\"x\",\"body\":\"bell\u{7}\"}", field: "body"),
        MalformedCase(name: "control character deep in a long string",
                      line: "{\"id\":\"x\",\"body\":\"" + String(repeating: "a", count: 37) + "\u{1F}" + String(repeating: "b", count: 40) + "\"}",
                      field: "body"),
        MalformedCase(name: "control character outside strings", line: "{\"id\":\"x\",\u{1}\"body\":\"y\"}", field: nil),
        MalformedCase(name: "not an object", line: #"["id","body"]"#, field: nil),
        MalformedCase(name: "bare string", line: #""just text""#, field: nil),
        MalformedCase(name: "trailing comma", line: #"{"id":"x","body":"y",}"#, field: nil),
        MalformedCase(name: "missing colon", line: #"{"id" "x","body":"y"}"#, field: "id"),
        MalformedCase(name: "missing value at end of line", line: #"{"id":"x","body":"#, field: "body"),
        MalformedCase(name: "single quotes", line: #"{'id':'x','body':'y'}"#, field: nil),
        MalformedCase(name: "bad literal in unknown field", line: #"{"id":"x","body":"y","flag":tru}"#, field: nil),
        MalformedCase(name: "bad number in unknown field", line: #"{"id":"x","body":"y","n":1.}"#, field: nil),
        MalformedCase(name: "leading zero id", line: #"{"id":01,"body":"y"}"#, field: "id"),
        MalformedCase(name: "unclosed nested array", line: #"{"id":"x","body":"y","a":[1,2}"#, field: nil),
    ]

    @Test(arguments: malformed)
    func malformedJSON(_ example: MalformedCase) throws {
        let error = try expectBadLine(example.line, .malformedJSON, field: example.field)
        #expect(error?.message.contains("at byte") == true)
    }

    /// One object as a query (`related --stdin`, the service): an absent id becomes "query"; an empty
    /// id is an error naming the field (it recursed without end and crashed the process).
    @Test func oneObjectWithoutOrWithAnEmptyID() throws {
        #expect(try Article.decodeJSON("{\"body\": \"text\"}", source: "q").id == "query")
        #expect(try Article.decodeJSON("{\"id\": \"a1\", \"body\": \"text\"}\n", source: "q").id == "a1")
        for text in ["{\"id\": \"\", \"body\": \"text\"}", "{\"id\": \"\", \"title\": \"\", \"body\": \"\", \"text\": \"\", \"date\": \"\"}"] {
            #expect { try Article.decodeJSON(text, source: "request body") } throws: { "\($0)".contains("id") }
        }
    }

    @Test func invalidUTF8InBody() throws {
        let bytes = Array(#"{"id":"x","body":"abc"#.utf8) + [0xFF, 0xFE] + Array(#"def"}"#.utf8)
        let error = try expectBadLine(bytes, .invalidUTF8, field: "body")
        // The offending byte is the 22nd of the line.
        #expect(error?.message.contains("byte 22") == true)
    }

    @Test func invalidUTF8InTitleAfterAnEscape() throws {
        let bytes = Array(#"{"id":"x","title":"\u00e9 "#.utf8) + [0xC3, 0x28] + Array(#"","body":"y"}"#.utf8)
        _ = try expectBadLine(bytes, .invalidUTF8, field: "title")
    }

    /// Strings are validated unless all their bytes are ASCII: a bad byte is found wherever it sits,
    /// in an 8-byte run, in the bytes before the closing quote, before or after an ASCII escape.
    @Test(arguments: [("", "abcdefghijkl"), ("abcdefghijkl", ""), (#"a\nb"#, "c"), ("c", #"\"d\td"#),
                      (#"\nabcdefghijkl"#, "0123456789"), ("x", "")])
    func invalidUTF8WhereverItSits(before: String, after: String) throws {
        let bytes = Array(#"{"id":"x","body":""#.utf8) + Array(before.utf8) + [0xFF] + Array(after.utf8) + Array(#""}"#.utf8)
        _ = try expectBadLine(bytes, .invalidUTF8, field: "body")
    }

    @Test func truncatedMultibyteSequenceInBody() throws {
        let bytes = Array(#"{"id":"x","body":"cut "#.utf8) + [0xE2, 0x82] + Array(#""}"#.utf8)
        _ = try expectBadLine(bytes, .invalidUTF8, field: "body")
    }

    @Test func utf8EncodedSurrogateInBody() throws {
        // CESU-8 style ED A0 80 (U+D800) is not valid UTF-8.
        let bytes = Array(#"{"id":"x","body":"sur "#.utf8) + [0xED, 0xA0, 0x80] + Array(#" rogate"}"#.utf8)
        _ = try expectBadLine(bytes, .invalidUTF8, field: "body")
    }

    @Test func overlongEncodingInBody() throws {
        let bytes = Array(#"{"id":"x","body":"overlong slash "#.utf8) + [0xC0, 0xAF] + Array(#""}"#.utf8)
        _ = try expectBadLine(bytes, .invalidUTF8, field: "body")
    }

    @Test func missingId() throws {
        _ = try expectBadLine(#"{"title":"no id","body":"y"}"#, .missingField, field: "id")
    }

    @Test func nullId() throws {
        _ = try expectBadLine(#"{"id":null,"body":"y"}"#, .missingField, field: "id")
    }

    @Test func emptyId() throws {
        _ = try expectBadLine(#"{"id":"","body":"y"}"#, .missingField, field: "id")
    }

    @Test func missingBody() throws {
        _ = try expectBadLine(#"{"id":"x","title":"only a title"}"#, .missingField, field: "body")
    }

    @Test func nullBodyWithoutText() throws {
        _ = try expectBadLine(#"{"id":"x","body":null}"#, .missingField, field: "body")
    }

    @Test func emptyObject() throws {
        _ = try expectBadLine("{}", .missingField, field: "id")
    }

    @Test func titleOfWrongType() throws {
        let error = try expectBadLine(#"{"id":"x","title":42,"body":"y"}"#, .wrongType, field: "title")
        #expect(error?.message.contains("string") == true)
    }

    @Test(arguments: [
        (#"{"id":"x","body":true}"#, "body"),
        (#"{"id":"x","body":["a"]}"#, "body"),
        (#"{"id":{"a":1},"body":"y"}"#, "id"),
        (#"{"id":true,"body":"y"}"#, "id"),
        // A number is a date only as epoch seconds (`DateFormatsTests`); other types are wrong.
        (#"{"id":"x","body":"y","date":true}"#, "date"),
        (#"{"id":"x","body":"y","date":["2017-02-07"]}"#, "date"),
        (#"{"id":"x","body":"y","lang":["en"]}"#, "lang"),
        (#"{"id":"x","body":"y","label":{"a":"b"}}"#, "label"),
    ])
    func otherFieldsOfWrongType(line: String, field: String) throws {
        _ = try expectBadLine(line, .wrongType, field: field)
    }

    @Test func duplicateIdNamesTheFirstLine() throws {
        try withTemporaryDirectory { dir in
            let path = try dir.write("dup.jsonl", jsonl([
                #"{"id":"a","body":"one"}"#,
                #"{"id":12,"body":"two"}"#,
                "",
                #"{"id":"b","body":"three"}"#,
                #"{"id":"a","body":"again"}"#,
            ]))
            let error = expectCorpusError(.duplicateID, file: path, line: 5, field: "id") { _ = try readArticles(path) }
            #expect(error?.message.contains("\"a\"") == true)
            #expect(error?.message.contains("line 1") == true)
        }
    }

    @Test func numericAndStringIdsCollide() throws {
        try withTemporaryDirectory { dir in
            let path = try dir.write("dup-number.jsonl", jsonl([
                #"{"id":12,"body":"number"}"#,
                #"{"id":"12","body":"string"}"#,
            ]))
            let error = expectCorpusError(.duplicateID, file: path, line: 2, field: "id") { _ = try readArticles(path) }
            #expect(error?.message.contains("line 1") == true)
        }
    }

    @Test(arguments: ["2017-13-01", "2017-02-30", "yesterday", "2017-02-07T25:00:00Z", "07/02/2017", "2017-02-07T10:30:00+2", "20170207"])
    func unparseableDate(_ date: String) throws {
        let error = try expectBadLine(#"{"id":"x","body":"y","date":"\#(date)"}"#, .invalidDate, field: "date")
        #expect(error?.message.contains("\"\(date)\"") == true)
    }

    @Test func recordOverTheSizeLimit() throws {
        try withTemporaryDirectory { dir in
            let long = #"{"id":"long","body":""# + String(repeating: "x", count: 150) + #""}"#
            let path = try dir.write("large.jsonl", jsonl([
                #"{"id":"a","body":"short"}"#,
                "",
                long,
                #"{"id":"b","body":"short"}"#,
            ]))
            let error = expectCorpusError(.recordTooLarge, file: path, line: 3, field: nil) {
                _ = try readArticles(path, options(maxRecordBytes: 100))
            }
            #expect(error?.message.contains("100") == true)
        }
    }

    @Test func recordExactlyAtTheSizeLimitIsAccepted() throws {
        try withTemporaryDirectory { dir in
            let prefix = #"{"id":"edge","body":""#
            let line = prefix + String(repeating: "x", count: 100 - prefix.utf8.count - 2) + #""}"#
            #expect(line.utf8.count == 100)
            // CRLF: the carriage return is not part of the record.
            let path = try dir.write("edge.jsonl", line + "\r\n" + #"{"id":"b","body":"y"}"# + "\r\n")
            let articles = try readArticles(path, options(maxRecordBytes: 100))
            #expect(articles.map(\.id) == ["edge", "b"])
        }
    }

    /// A big file read with a tiny batch size, so lines straddle the reader's chunk boundaries, with one
    /// oversized line in the middle: short (fits a chunk), or far longer than a chunk.
    @Test(arguments: [(300, 64), (300, 1000), (150_000, 64), (150_000, 1 << 20), (70_000, 100_000)])
    func recordOverTheSizeLimitInTheMiddleOfABigFile(oversize: Int, batchBytes: Int) throws {
        try withTemporaryDirectory { dir in
            var lines: [String] = []
            var rng = SplitMix64(seed: 42)
            for index in 1...3000 {
                lines.append(#"{"id":"r\#(index)","body":""# + String(repeating: "y", count: Int.random(in: 10...150, using: &rng)) + #""}"#)
            }
            let badLine = 1777
            lines[badLine - 1] = #"{"id":"huge","body":""# + String(repeating: "z", count: oversize) + #""}"#
            let path = try dir.write("big.jsonl", jsonl(lines))
            let strict = options(maxRecordBytes: 200, batchBytes: batchBytes)
            expectCorpusError(.recordTooLarge, file: path, line: badLine, field: nil) {
                _ = try readArticles(path, strict)
            }
            // Skipping it, every other record is read at its own line.
            var lenient = strict
            lenient.skipInvalid = true
            let result = try CorpusReader(path: path, options: lenient).readAll()
            #expect(result.articles.count == 2999)
            #expect(result.skipped.errors.map(\.line) == [badLine])
            let records = try decodeAll(path, lenient)
            var expectedLines = Array(1...3000)
            expectedLines.remove(at: badLine - 1)
            #expect(records.lines == expectedLines)
            #expect(records.articles.map(\.id) == expectedLines.map { "r\($0)" })
        }
    }

    @Test func emptyFile() throws {
        try withTemporaryDirectory { dir in
            let path = try dir.write("empty.jsonl", "")
            expectCorpusError(.emptyCorpus, file: path, line: nil, field: nil) { _ = try readArticles(path) }
        }
    }

    @Test func fileOfOnlyBlankLines() throws {
        try withTemporaryDirectory { dir in
            let path = try dir.write("blank.jsonl", bytes: [0xEF, 0xBB, 0xBF] + Array("\n\n   \n\t\r\n\r\n".utf8))
            expectCorpusError(.emptyCorpus, file: path, line: nil, field: nil) { _ = try readArticles(path) }
        }
    }

    @Test func nonexistentFile() throws {
        try withTemporaryDirectory { dir in
            let path = dir.path("missing.jsonl")
            expectCorpusError(.unreadableFile, file: path, line: nil, field: nil) { _ = try CorpusReader(path: path) }
        }
    }

    @Test func directoryGivenAsJSONL() throws {
        try withTemporaryDirectory { dir in
            expectCorpusError(.unreadableFile, file: dir.path, line: nil, field: nil) {
                _ = try CorpusReader(path: dir.path, options: options(format: .jsonl))
            }
        }
    }

    @Test func firstErrorWinsWithoutSkipInvalid() throws {
        try withTemporaryDirectory { dir in
            let path = try dir.write("two-bad.jsonl", jsonl([
                #"{"id":"a","body":"ok"}"#,
                #"{"id":"b"}"#,
                #"{"id":"c","body":"y","date":"never"}"#,
            ]))
            expectCorpusError(.missingField, file: path, line: 2, field: "body") { _ = try readArticles(path) }
        }
    }
}
