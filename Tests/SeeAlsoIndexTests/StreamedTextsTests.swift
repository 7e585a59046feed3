import Foundation
import Testing
import SeeAlsoCorpus
import SeeAlsoIndex
import SeeAlsoTestSupport
import SeeAlsoVectorize

/// `IndexWriterSession.writeTexts(from:progress:)` (bodies streamed to disk in a pass of their own)
/// against `writeTexts(_:)` of the vectorizer's kept blocks: the same file, byte for byte.
@Suite struct StreamedTextsTests {
    /// JSON Lines with several batches, a repeated id and an undecodable line (`skipInvalid`), unicode and
    /// an empty body.
    static func archive(in scratch: TemporaryDirectory) throws -> String {
        let world = NewsWorld(seed: 5)
        var lines: [String] = []
        for (index, article) in world.articles(count: 300, seed: 9).enumerated() {
            let body = index == 7 ? "" : article.body + (index % 50 == 0 ? " ünïcödé 🗞" : "")
            lines.append(#"{"id": "\#(article.id)", "title": "\#(article.title)", "body": "\#(body)"}"#)
            if index == 120 { lines.append(#"{"id": "\#(article.id)", "title": "again", "body": "a repeated id"}"#) }
            if index == 200 { lines.append(#"{"id": 12, "body": "#) }
        }
        return try scratch.write("archive.jsonl", lines.joined(separator: "\n") + "\n")
    }

    @Test func streamedTextsFileEqualsTheVectorizersBlocks() throws {
        let scratch = try TemporaryDirectory("streamed-texts")
        defer { scratch.remove() }
        let input = try Self.archive(in: scratch)
        var options = CorpusOptions()
        options.skipInvalid = true
        options.batchBytes = 16 << 10
        let fit = try TfidfVectorizer.fit(reader: try CorpusReader(path: input, options: options), configuration: .news, keepTexts: true)
        #expect(fit.texts.blocks.count > 1)
        #expect(fit.skipped.count == 2)
        let directory = IndexDirectory(path: scratch.path("idx"))
        try directory.withWriter(waitSeconds: 1, purpose: .replace(force: false)) { session in
            let kept = try session.writeTexts(fit.texts)
            let keptBytes = try Data(contentsOf: URL(fileURLWithPath: kept.path))
            let streamed = try session.writeTexts(from: try CorpusReader(path: input, options: options), progress: nil)
            let streamedBytes = try Data(contentsOf: URL(fileURLWithPath: streamed.file.path))
            #expect(streamed.count == fit.matrix.rowCount)
            #expect(streamedBytes == keptBytes)
            #expect(streamed.file.record.bytes == kept.record.bytes && streamed.file.record.crc32 == kept.record.crc32)
            // The spool is gone; only the texts file is pending.
            let pending = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasPrefix(".pending-") }
            #expect(pending == [".pending-texts.sal"])
        }
    }

    @Test func invalidRecordsThrowAsTheVectorizerThrows() throws {
        let scratch = try TemporaryDirectory("streamed-texts-invalid")
        defer { scratch.remove() }
        let input = try Self.archive(in: scratch)
        let directory = IndexDirectory(path: scratch.path("idx"))
        let vectorizerError = #expect(throws: CorpusError.self) {
            try TfidfVectorizer.fit(reader: try CorpusReader(path: input), configuration: .news, keepTexts: true)
        }
        try directory.withWriter(waitSeconds: 1, purpose: .replace(force: false)) { session in
            let streamedError = #expect(throws: CorpusError.self) {
                try session.writeTexts(from: try CorpusReader(path: input), progress: nil)
            }
            #expect(streamedError?.description == vectorizerError?.description)
        }
    }
}
