import Foundation
import Testing
import SeeAlsoCorpus
import SeeAlsoTestSupport

/// Categories, tags, section and author: arrays or comma-separated strings, in JSON Lines and CSV.
@Suite struct TaxonomyFieldTests {
    @Test func arraysCommaSeparatedStringsAndNullReadAlike() throws {
        try withTemporaryDirectory { dir in
            let path = try dir.write("cms.jsonl", jsonl([
                #"{"id":"a","body":"x","categories":["Politics"," World ",""],"tags":"budget, vote,,council","section":"News","author":["Ann Lee","Bo Chan"]}"#,
                #"{"id":"b","body":"y","categories":null,"tags":[],"section":"","author":"Ann Lee"}"#,
                #"{"id":"c","body":"z"}"#,
            ]))
            let articles = try readArticles(path)
            #expect(articles[0].taxonomy == ArticleTaxonomy(categories: ["Politics", "World"], tags: ["budget", "vote", "council"],
                                                            section: ["News"], author: ["Ann Lee", "Bo Chan"]))
            #expect(articles[1].taxonomy == ArticleTaxonomy(author: ["Ann Lee"]))
            #expect(articles[2].taxonomy == ArticleTaxonomy())
        }
    }

    @Test func csvCellsAreCommaSeparatedLists() throws {
        try withTemporaryDirectory { dir in
            let path = try dir.write("cms.csv", "id,body,Categories,tags\n1,text,\"Politics, World\",budget\n2,more,,\n")
            let articles = try readArticles(path)
            #expect(articles.map(\.taxonomy.categories) == [["Politics", "World"], []])
            #expect(articles.map(\.taxonomy.tags) == [["budget"], []])
        }
    }

    @Test func aNonStringInAListNamesTheFieldAndLine() throws {
        try withTemporaryDirectory { dir in
            for (index, value) in [#"["a", 3]"#, "17", #"{"a":1}"#, "[true]", #"["a" "b"]"#].enumerated() {
                let path = try dir.write("bad\(index).jsonl", jsonl([#"{"id":"a","body":"x"}"#, #"{"id":"b","body":"y","tags":\#(value)}"#]))
                let error = try #require(throws: CorpusError.self) { _ = try readArticles(path) }
                #expect(error.line == 2, "\(value)")
                #expect(error.field == "tags", "\(value)")
            }
        }
    }

    @Test func encodedArticlesReadBackWithTheirTaxonomy() throws {
        try withTemporaryDirectory { dir in
            let article = Article(id: "a", body: "b", taxonomy: ArticleTaxonomy(categories: ["Économie", "A, B"], tags: ["x"], section: ["S"], author: ["Z"]))
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            let path = try dir.write("round.jsonl", String(decoding: try encoder.encode(article), as: UTF8.self) + "\n")
            // A value with a comma stays one value in an array.
            #expect(try readArticles(path) == [article])
        }
    }
}
