import Foundation
import Testing
import SeeAlsoText
import SeeAlsoVectorize

/// The TF-IDF configuration as JSON (model files, index manifests, `info --format json`): plain values in
/// the CLI's words instead of Swift's enum encoding, and the old encoding still read.
@Suite struct ConfigurationJSONTests {
    static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(text.utf8))
    }

    @Test func choicesEncodeAsPlainValues() throws {
        var configuration = TfidfConfiguration.news
        let text = try Self.json(configuration)
        #expect(text.contains(#""minDF":{"count":2}"#) && text.contains(#""maxDF":{"fraction":0.5}"#), "\(text)")
        #expect(text.contains(#""stopWords":"auto""#) && text.contains(#""language":"auto""#), "\(text)")
        #expect(!text.contains("_0"))
        #expect(try Self.decode(TfidfConfiguration.self, text) == configuration)

        configuration.maxDF = .fraction(1)
        configuration.analyzer.stopWords = .custom(["the", "\"a\""])
        configuration.analyzer.language = .fixed(.italian)
        let other = try Self.json(configuration)
        #expect(other.contains(#""maxDF":{"fraction":1}"#) && other.contains(#""stopWords":{"custom":["the","\"a\""]}"#), "\(other)")
        #expect(other.contains(#""language":"it""#))
        #expect(try Self.decode(TfidfConfiguration.self, other) == configuration)
        configuration.analyzer.stopWords = .language(.english)
        #expect(try Self.json(configuration.analyzer.stopWords) == #""en""#)
        configuration.analyzer.stopWords = .none
        #expect(try Self.json(configuration.analyzer.stopWords) == #""none""#)
        #expect(try Self.decode(TfidfConfiguration.self, try Self.json(configuration)) == configuration)
    }

    /// Model files and indexes written before (Swift's `{"case": {"_0": value}}`) are still read.
    @Test func theOldEncodingIsStillRead() throws {
        #expect(try Self.decode(DocumentFrequencyBound.self, #"{"count":{"_0":2}}"#) == .count(2))
        #expect(try Self.decode(DocumentFrequencyBound.self, #"{"fraction":{"_0":0.5}}"#) == .fraction(0.5))
        typealias StopWords = AnalyzerConfiguration.StopWordChoice
        #expect(try Self.decode(StopWords.self, #"{"none":{}}"#) == StopWords.none)
        #expect(try Self.decode(StopWords.self, #"{"perArticle":{}}"#) == .perArticle)
        #expect(try Self.decode(StopWords.self, #"{"language":{"_0":"it"}}"#) == .language(.italian))
        #expect(try Self.decode(StopWords.self, #"{"custom":{"_0":["x","y"]}}"#) == .custom(["x", "y"]))
        typealias Languages = AnalyzerConfiguration.LanguageChoice
        #expect(try Self.decode(Languages.self, #"{"perArticle":{}}"#) == .perArticle)
        #expect(try Self.decode(Languages.self, #"{"fixed":{"_0":"de"}}"#) == .fixed(.german))
    }

    @Test func badValuesAreRefused() {
        #expect(throws: DecodingError.self) { try Self.decode(DocumentFrequencyBound.self, #"{"fraction":"half"}"#) }
        #expect(throws: DecodingError.self) { try Self.decode(DocumentFrequencyBound.self, #"{"count":1,"fraction":0.5}"#) }
        #expect(throws: DecodingError.self) { try Self.decode(DocumentFrequencyBound.self, #"{"share":0.5}"#) }
        #expect(throws: DecodingError.self) { try Self.decode(AnalyzerConfiguration.StopWordChoice.self, #""klingon""#) }
        #expect(throws: DecodingError.self) { try Self.decode(AnalyzerConfiguration.LanguageChoice.self, #"{"fixed":{"_0":"xx"}}"#) }
    }
}
