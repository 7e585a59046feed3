import Foundation
import Testing
import SeeAlsoCorpus
import SeeAlsoTestSupport

/// `--columns` for JSON Lines: article fields read from other keys.
@Suite struct JSONLColumnsTests {
    @Test func mappedKeysFillTheFieldsAndTheirDefaultNamesAreIgnored() throws {
        try withTemporaryDirectory { dir in
            let path = try dir.write("cms.jsonl", jsonl([
                #"{"Key":"k1","Headline":"First","Text":"Body one","id":"ignored","body":"ignored","published":"2017-02-08T10:00:00+01:00","url":"https://x/1"}"#,
                #"{"Key":7,"Headline":null,"Text":"Body two","section":"world"}"#,
            ]))
            let mapping = try CorpusOptions.parseColumns("id=Key,title=Headline,body=Text,date=published,label=section")
            let articles = try CorpusReader(path: path, options: options(columns: mapping)).readAll().articles
            #expect(articles == [
                Article(id: "k1", title: "First", body: "Body one", date: try ArticleDate(parsing: "2017-02-08T10:00:00+01:00"), url: "https://x/1"),
                Article(id: "7", title: "", body: "Body two", label: "world"),
            ])
        }
    }

    /// A mapped key wins over a field's default name, even when that name is another field's.
    @Test func swappedNames() throws {
        try withTemporaryDirectory { dir in
            let path = try dir.write("swap.jsonl", jsonl([#"{"id":"1","title":"the body","body":"the title"}"#]))
            let mapping = try CorpusOptions.parseColumns("title=body,body=title")
            let article = try #require(try CorpusReader(path: path, options: options(columns: mapping)).readAll().articles.first)
            #expect(article.title == "the title" && article.body == "the body")
        }
    }

    @Test func aMissingMappedKeyIsNamedInTheError() throws {
        try withTemporaryDirectory { dir in
            let path = try dir.write("cms.jsonl", jsonl([#"{"Key":"1","Text":"a"}"#, #"{"Key":"2","body":"b"}"#]))
            let mapping = try CorpusOptions.parseColumns("id=Key,body=Text")
            let error = expectCorpusError(.missingField, file: path, line: 2, field: "body") {
                _ = try CorpusReader(path: path, options: options(columns: mapping)).readAll()
            }
            #expect(error?.message.contains("key 'Text'") == true)
        }
    }

    @Test func unknownFieldsAndFoldersAreRefused() throws {
        let error = expectCorpusError(.badOption, file: "--columns", line: nil, field: nil) { _ = try CorpusOptions.parseColumns("headline=Title") }
        #expect(error?.message.contains("'headline'") == true)
        try withTemporaryDirectory { dir in
            try dir.write("folder/a.txt", "t\nb")
            let folderError = expectCorpusError(.badOption, file: "--columns", line: nil, field: nil) {
                _ = try CorpusReader(path: dir.path("folder"), options: options(columns: [.title: "x"]))
            }
            #expect(folderError?.message.contains("front matter") == true)
        }
    }

    @Test func decodeJSONUsesTheMapping() throws {
        var mapping = CorpusOptions()
        mapping.columns = [.id: "Key", .body: "Text"]
        #expect(try Article.decodeJSON(#"{"Key":"a","Text":"<p>x</p>"}"#, source: "<stdin>", options: mapping) == Article(id: "a", body: "x\n"))
        #expect(try Article.decodeJSON(#"{"Text":"y"}"#, source: "<stdin>", options: mapping).id == "query")
    }
}
