import Foundation
import Testing
import SeeAlsoCorpus
import SeeAlsoText
import SeeAlsoVectorize
import SeeAlsoTestSupport

/// The standalone model file: a save/load round trip, and refusal of files it cannot trust.
@Suite struct ModelFileTests {
    static func fittedModel(_ name: String = "default") throws -> TfidfModel {
        let configuration = try TfidfFixtures.configuration(try #require(try TfidfFixtures.golden(name)["config"]))
        return try TfidfVectorizer.fit(reader: try CorpusReader(path: try TfidfFixtures.docsPath()), configuration: configuration).model
    }

    static func expectSameModel(_ loaded: TfidfModel, _ model: TfidfModel, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(loaded.configuration == model.configuration, sourceLocation: sourceLocation)
        #expect(utf8Terms(loaded.vocabulary) == utf8Terms(model.vocabulary), sourceLocation: sourceLocation)
        #expect(loaded.idf == model.idf, sourceLocation: sourceLocation)
        #expect(loaded.documentCount == model.documentCount, sourceLocation: sourceLocation)
    }

    /// Every configuration of the golden files, including `no_lowercase` whose vocabulary holds both
    /// "kΩ" spellings (ohm sign and omega) and NFC/NFD variants that must stay distinct.
    @Test(arguments: TfidfFixtures.configurationNames)
    func saveAndLoadRoundTrip(_ name: String) throws {
        let model = try Self.fittedModel(name)
        try withTemporaryDirectory { dir in
            let path = dir.path("model.json")
            try ModelFile.save(model, to: path)
            let loaded = try ModelFile.load(path)
            Self.expectSameModel(loaded, model)
            for (column, term) in loaded.vocabulary.enumerated() {
                #expect(loaded.column(of: term) == column, "\(escaped(term))")
            }
            // No temporary file is left beside the model.
            #expect(dir.entries() == ["model.json"])
        }
    }

    @Test func customConfigurationRoundTrips() throws {
        var configuration = TfidfConfiguration.news
        configuration.analyzer.stopWords = .custom(["alpha", "beta"])
        configuration.analyzer.language = .fixed(.italian)
        configuration.analyzer.stripAccents = .ascii
        configuration.analyzer.stemming = true
        configuration.analyzer.ngramMax = 2
        configuration.minDF = .fraction(0.0)
        configuration.maxDF = .count(20)
        configuration.maxFeatures = 12
        configuration.norm = .l1
        configuration.titleWeight = 2.5
        // Terms in byte order ("cafe\u{301}" before "caf\u{E9}"), idf in 1…ln(n + 1) + 1.
        let model = TfidfModel(configuration: configuration, vocabulary: ["a b", "cafe\u{301}", "caf\u{E9}", "\u{1F600}x"],
                               idf: [1.0, 2.5, 1 + 0.1 + 0.2, log(8.0) + 1], documentCount: 7)
        try withTemporaryDirectory { dir in
            let path = dir.path("custom.model")
            try ModelFile.save(model, to: path)
            Self.expectSameModel(try ModelFile.load(path), model)
            // Saving again replaces the file.
            try ModelFile.save(try Self.fittedModel(), to: path)
            #expect(try ModelFile.load(path).documentCount == 29)
        }
    }

    private func expectBadModelFile(_ path: String, reasonContains fragment: String, sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            _ = try ModelFile.load(path)
            Issue.record("loading \(path) should fail", sourceLocation: sourceLocation)
        } catch let error as VectorizerError {
            guard case .badModelFile(let errorPath, let reason) = error else {
                Issue.record("expected badModelFile, got \(error)", sourceLocation: sourceLocation)
                return
            }
            #expect(errorPath == path, sourceLocation: sourceLocation)
            #expect(error.description.hasPrefix(path + ": "), sourceLocation: sourceLocation)
            #expect(reason.contains(fragment), "\(reason)", sourceLocation: sourceLocation)
        } catch {
            Issue.record("expected VectorizerError.badModelFile, got \(error)", sourceLocation: sourceLocation)
        }
    }

    /// The saved JSON of the default model, for editing.
    private func savedJSON(_ dir: TemporaryDirectory) throws -> String {
        let path = dir.path("good.json")
        try ModelFile.save(try Self.fittedModel(), to: path)
        return try String(contentsOfFile: path, encoding: .utf8)
    }

    /// A hand-edited model: terms out of byte order (lookups are binary searches) or an idf no fit can
    /// produce is refused with the term named, before any article is read.
    @Test func untrustworthyVocabularyOrIdfIsRefused() throws {
        try withTemporaryDirectory { dir in
            let configuration = TfidfConfiguration.news
            let cases: [([String], [Double], String)] = [
                (["beta", "alpha"], [1.5, 1.5], "not in strictly increasing byte order at term 1 (\"beta\", \"alpha\")"),
                (["alpha", "alpha"], [1.5, 1.5], "strictly increasing"),
                (["alpha", "beta"], [1.5, 1e9], "idf of term 2 (\"beta\") is 1000000000.0"),
                (["alpha", "beta"], [0.5, 1.5], "idf of term 1"),
                (["alpha", "beta"], [1.5, -1], "idf of term 2"),
            ]
            for (number, (vocabulary, idf, message)) in cases.enumerated() {
                let path = dir.path("bad-\(number).json")
                try ModelFile.save(TfidfModel(configuration: configuration, vocabulary: vocabulary, idf: idf, documentCount: 10), to: path)
                expectBadModelFile(path, reasonContains: message)
            }
        }
    }

    @Test func missingFile() throws {
        try withTemporaryDirectory { dir in
            expectBadModelFile(dir.path("absent.json"), reasonContains: "cannot read")
        }
    }

    @Test func corruptFile() throws {
        try withTemporaryDirectory { dir in
            let json = try savedJSON(dir)
            let truncated = try dir.write("truncated.json", bytes: Array(json.utf8.prefix(json.utf8.count / 2)))
            expectBadModelFile(truncated, reasonContains: "not a SeeAlso model file")
            let garbage = try dir.write("garbage.json", bytes: [0x00, 0xFF, 0x13, 0x37])
            expectBadModelFile(garbage, reasonContains: "not a SeeAlso model file")
            let empty = try dir.write("empty.json", bytes: [])
            expectBadModelFile(empty, reasonContains: "not a SeeAlso model file")
        }
    }

    @Test func wrongFormat() throws {
        try withTemporaryDirectory { dir in
            let json = try savedJSON(dir)
            #expect(json.contains(#""format":"seealso-tfidf-model""#))
            let other = try dir.write("other.json", json.replacingOccurrences(of: #""format":"seealso-tfidf-model""#, with: #""format":"seealso-index""#))
            expectBadModelFile(other, reasonContains: "seealso-index")
            // Some other JSON document altogether.
            let unrelated = try dir.write("unrelated.json", #"{"hello":"world"}"#)
            expectBadModelFile(unrelated, reasonContains: "not a SeeAlso model file")
        }
    }

    @Test func newerVersion() throws {
        try withTemporaryDirectory { dir in
            let json = try savedJSON(dir)
            #expect(json.contains(#""version":1"#))
            let newer = try dir.write("newer.json", json.replacingOccurrences(of: #""version":1"#, with: #""version":3"#))
            expectBadModelFile(newer, reasonContains: "version 3 is newer")
        }
    }

    @Test func vocabularyAndIdfOfDifferentLengths() throws {
        try withTemporaryDirectory { dir in
            let json = try savedJSON(dir)
            let edited = json.replacingOccurrences(of: #""idf":["#, with: #""idf":[1.5,"#)
            #expect(edited != json)
            let broken = try dir.write("broken.json", edited)
            expectBadModelFile(broken, reasonContains: "differ in length")
        }
    }
}
