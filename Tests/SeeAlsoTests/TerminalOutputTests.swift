import Foundation
import Testing
import SeeAlso
import SeeAlsoTestSupport

/// Titles, ids and terms reach a terminal escaped: no escape sequence or line break from an article
/// gets through the text box, while JSON output keeps the text as it is.
@Suite struct TerminalOutputTests {
    @Test func controlCharactersInTitlesAreEscapedInTextOnly() throws {
        let scratch = try TemporaryDirectory("terminal")
        defer { scratch.remove() }
        var articles = NewsWorld(seed: 91).articles(count: 40, seed: 1)
        let hostile = "\u{1B}]0;pwned\u{07}Court ruling\u{1B}[2J\nsecond line\u{9B}31m"
        articles[1].title = hostile
        let index = scratch.path("index")
        _ = try SeeAlsoEngine.build(ArchiveInput(try writeJSONL(articles, to: scratch.path("in.jsonl"))), into: index,
                                    options: EngineFixtures.options(k: 5))
        // The box's first line is the query's title.
        let text = try SeeAlsoExecutable.output(["related", "--index", index, "--id", articles[1].id, "-k", "5"])
        #expect(text.contains("Court ruling"), "\(text)")
        #expect(!text.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 || $0.value == 0x9B }, "raw control characters: \(text.debugDescription)")
        #expect(text.contains("\\u{1b}]0;pwned\\u{7}Court ruling\\u{1b}[2J second line\\u{9b}31m"), "\(text.debugDescription)")
        let json = try SeeAlsoExecutable.output(["related", "--index", index, "--id", articles[1].id, "-k", "5", "--format", "json"])
        let decoded = try JSONDecoder().decode(RelatedList.self, from: Data(json.utf8))
        #expect(decoded.title == hostile)
    }
}
