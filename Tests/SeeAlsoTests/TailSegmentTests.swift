import Foundation
import Testing
import SeeAlso
import SeeAlsoTestSupport

/// `add` writes the new articles into the index's tail segment and hard-links the base segment, until
/// the tail outgrows an eighth of the base; then it writes one base segment again. Either way every
/// query answers as on a build over all the articles.
@Suite struct TailSegmentTests {
    @Test func smallAddsGoToTheTailAndQueriesAnswerAsOnARebuild() throws {
        let scratch = try TemporaryDirectory("tail")
        defer { scratch.remove() }
        let world = NewsWorld(seed: 41)
        let old = world.articles(count: 400, seed: 42, idPrefix: "old")
        let new = world.articles(count: 70, seed: 43, idPrefix: "new", firstNumber: 5_000)
        let oldPath = try writeJSONL(old, to: scratch.path("old.jsonl"))
        let model = scratch.path("model.json")
        _ = try SeeAlsoEngine.vectorize(ArchiveInput(oldPath), tfidf: .news, outputs: VectorizeOutputs(model: model))
        let options = EngineFixtures.options(k: 8, modelFile: model)
        let indexPath = scratch.path("index")
        _ = try SeeAlsoEngine.build(ArchiveInput(oldPath), into: indexPath, options: options)
        let baseInode = try Self.inode(of: "matrix.sal", in: indexPath)

        // Two batches of 15: 15 and 30 tail rows, at most 400 / 8 = 50; the base files are the build's.
        var inputs = [oldPath]
        for (batch, tailRows) in [(0..<15, 15), (15..<30, 30)] {
            inputs.append(try writeJSONL(Array(new[batch]), to: scratch.path("new-\(tailRows).jsonl")))
            _ = try SeeAlsoEngine.add(ArchiveInput(inputs.last!), to: indexPath)
            let engine = try SeeAlsoEngine(path: indexPath, verify: true)
            #expect(engine.manifest.tailRows == tailRows && engine.manifest.version == 3 && engine.articleCount == 400 + tailRows)
            #expect(engine.manifest.files["matrix.tail.sal"] != nil && engine.manifest.files["postings.tail.sal"] != nil)
            #expect(try Self.inode(of: "matrix.sal", in: indexPath) == baseInode, "the base segment is linked, not rewritten")
            try Self.expectAnswersAsARebuild(engine, inputs: inputs, options: options, scratch: scratch, ids: (old + new).prefix(400 + tailRows).map(\.id))
        }

        // 40 more would make a tail of 70 > 50: one base segment again, readable by version-1 releases.
        inputs.append(try writeJSONL(Array(new[30...]), to: scratch.path("new-last.jsonl")))
        _ = try SeeAlsoEngine.add(ArchiveInput(inputs.last!), to: indexPath)
        let compacted = try SeeAlsoEngine(path: indexPath, verify: true)
        #expect(compacted.manifest.tailRows == nil && compacted.manifest.version == 1 && compacted.articleCount == 470)
        #expect(compacted.manifest.files.keys.allSatisfy { !$0.contains(".tail.") })
        #expect(try Self.inode(of: "matrix.sal", in: indexPath) != baseInode)
        try Self.expectAnswersAsARebuild(compacted, inputs: inputs, options: options, scratch: scratch, ids: (old + new).map(\.id))
    }

    /// Every article's related list, a new text's list and the stored lists equal those of a build over
    /// the same inputs with the same frozen model.
    static func expectAnswersAsARebuild(_ engine: SeeAlsoEngine, inputs: [String], options: BuildOptions, scratch: TemporaryDirectory,
                                        ids: [String], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let rebuiltPath = scratch.path("rebuilt-\(UUID().uuidString)")
        _ = try SeeAlsoEngine.build(ArchiveInput(paths: inputs), into: rebuiltPath, options: options)
        let rebuilt = try SeeAlsoEngine(path: rebuiltPath)
        var relatedOptions = RelatedOptions()
        relatedOptions.k = 6
        relatedOptions.direction = .before
        for id in ids {
            // An undated article cannot be placed in time: it is asked without the direction.
            var options = relatedOptions
            if engine.article(withID: id)?.date == nil { options.direction = .any }
            #expect(try engine.related(toArticleWithID: id, options: options) == rebuilt.related(toArticleWithID: id, options: options),
                    "\(id)", sourceLocation: sourceLocation)
        }
        let text = Article(id: "draft", title: "A draft", body: try #require(engine.article(withID: ids.last!)).title + " and more words")
        #expect(try engine.related(to: text) == rebuilt.related(to: text), sourceLocation: sourceLocation)
        var stored: [RelatedList] = []
        try engine.forEachStoredList { stored.append($0) }
        var expected: [RelatedList] = []
        try rebuilt.forEachStoredList { expected.append($0) }
        #expect(stored == expected, sourceLocation: sourceLocation)
    }

    static func inode(of file: String, in index: String) throws -> Int {
        let current = try String(contentsOfFile: index + "/CURRENT", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let attributes = try FileManager.default.attributesOfItem(atPath: index + "/" + current + "/" + file)
        return try #require(attributes[.systemFileNumber] as? Int)
    }
}
