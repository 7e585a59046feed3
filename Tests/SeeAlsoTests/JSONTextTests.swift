import Foundation
import SeeAlso
import SeeAlsoTestSupport
import Testing

/// `RelatedList.json()` (written by hand) gives exactly the bytes of Foundation's encoder
/// (`JSONLine.encode`) that the CLI printed before: keys sorted, absent fields left out, floats and
/// escapes as JSONEncoder writes them.
@Suite struct JSONTextTests {
    @Test func generatedListsEncodeAsFoundationDoes() throws {
        var random = SplitMix64(seed: 2026)
        let pieces = ["a", "Ü", "東京", "\"", "\\", "/", "\u{7f}", "\u{2028}", "🙂", " ", "x/y", "é"]
            + (0..<32).map { String(UnicodeScalar(UInt8($0))) }
        func text() -> String { (0..<Int.random(in: 0...6, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined() }
        func number() -> Float {
            switch Int.random(in: 0..<6, using: &random) {
            case 0: return Float(Int.random(in: -3...200, using: &random))
            case 1: return Float.random(in: 0...1, using: &random)
            case 2: return Float.random(in: -1...0, using: &random)
            case 3: return Float.random(in: 0...1e-6, using: &random)
            case 4: return Float.random(in: 1e7...1e30, using: &random)
            default: return [0, -0.0, Float.leastNonzeroMagnitude, .greatestFiniteMagnitude, 0.1, 100, 12345678.9][Int.random(in: 0..<7, using: &random)]
            }
        }
        func maybe(_ value: @autoclosure () -> Any) -> Any? { random.chance(0.5) ? value() : nil }
        func date() -> String { random.chance(0.5) ? "2017-02-0\(Int.random(in: 1...9, using: &random))" : "2016-12-31T23:59:0\(Int.random(in: 0...9, using: &random))Z" }
        for _ in 0..<2_000 {
            let items: [[String: Any]] = (0..<Int.random(in: 0...6, using: &random)).map { _ in
                var item: [String: Any] = ["id": text(), "title": text(), "score": Double(number()), "similarity": Double(number())]
                item["date"] = maybe(date())
                item["url"] = maybe(text())
                item["folded"] = maybe((0..<Int.random(in: 0...3, using: &random)).map { _ in text() })
                item["explain"] = maybe((0..<Int.random(in: 0...3, using: &random)).map { _ in ["term": text(), "contribution": Double(number())] })
                item["topic"] = maybe(Int.random(in: 0...500, using: &random))
                item["story"] = maybe(Int.random(in: 0...100_000, using: &random))
                return item
            }
            var object: [String: Any] = ["id": text(), "title": text(), "related": items]
            object["date"] = maybe(date())
            object["copies"] = maybe((0..<Int.random(in: 0...2, using: &random)).map { _ in text() })
            object["topic"] = maybe(Int.random(in: 0...50, using: &random))
            object["topicTerms"] = maybe((0..<Int.random(in: 0...4, using: &random)).map { _ in text() })
            object["story"] = maybe(Int.random(in: 0...50, using: &random))
            object["storySize"] = maybe(Int.random(in: 2...50, using: &random))
            let list = try JSONDecoder().decode(RelatedList.self, from: JSONSerialization.data(withJSONObject: object))
            #expect(list.json() == JSONLine.encode(list))
        }
    }

    @Test func indexListsEncodeAsFoundationDoes() throws {
        let scratch = try TemporaryDirectory("json-text")
        defer { scratch.remove() }
        let articles = NewsWorld(seed: 8, mixedScripts: true).articles(count: 150, seed: 9)
        let input = try writeJSONL(articles, to: scratch.path("archive.jsonl"))
        _ = try SeeAlsoEngine.build(ArchiveInput(input), into: scratch.path("index"))
        _ = try SeeAlsoEngine(path: scratch.path("index")).cluster()
        let engine = try SeeAlsoEngine(path: scratch.path("index"))
        var options = RelatedOptions()
        options.explainTerms = 3
        options.duplicateThreshold = 0.3
        var lists = 0
        try engine.forEachStoredList(options: options) { list in
            #expect(list.json() == JSONLine.encode(list))
            lists += 1
        }
        for article in articles.prefix(20) {
            let list = try engine.related(toArticleWithID: article.id, options: options)
            #expect(list.json() == JSONLine.encode(list))
        }
        #expect(lists == articles.count)
    }
}
