import Foundation
import Testing
import SeeAlsoCorpus
import SeeAlsoTestSupport

/// Markdown front matter in folders of text files.
@Suite struct FrontMatterTests {
    @Test func fieldsComeFromFrontMatterAndTheRestIsTheBody() throws {
        try withTemporaryDirectory { dir in
            try dir.write("posts/a.md", """
                ---
                title: "Budget: the vote"
                date: 2017-02-08T10:00:00+01:00
                id: budget-vote
                Lang: it
                label: 'politics'
                url: https://example.com/budget
                event: e12
                tags: [budget, "vote, final"]
                categories:
                  - politics
                  - economy
                # a comment
                layout: post
                ---

                First paragraph.
                Second line.

                """)
            try dir.write("posts/b.md", "---\r\ndate: Tue, 08 Feb 2017 23:30:00 -0500\r\nlanguage: fr\r\n---\r\nTitle from the first line\r\nbody b\r\n")
            try dir.write("posts/c.txt", "Plain title\n---\nnot front matter\n")
            let articles = try CorpusReader(path: dir.path("posts")).readAll().articles
            #expect(articles.count == 3)
            #expect(articles[0] == Article(id: "budget-vote", title: "Budget: the vote", body: "First paragraph.\nSecond line.\n",
                                           date: try ArticleDate(parsing: "2017-02-08T10:00:00+01:00"), url: "https://example.com/budget",
                                           label: "politics", event: "e12", language: "it",
                                           taxonomy: ArticleTaxonomy(categories: ["politics", "economy"], tags: ["budget", "vote, final"])))
            #expect(articles[0].date?.description == "2017-02-08T10:00:00+01:00")
            #expect(articles[1].id == "b.md" && articles[1].title == "Title from the first line" && articles[1].body == "body b\r\n")
            #expect(articles[1].date?.description == "2017-02-08T23:30:00-05:00" && articles[1].language == "fr")
            #expect(articles[2].title == "Plain title" && articles[2].body == "---\nnot front matter\n")
        }
    }

    @Test func badFrontMatterNamesTheFileAndLine() throws {
        try withTemporaryDirectory { dir in
            let unclosed = try dir.write("unclosed/a.md", "---\ntitle: x\nbody text\n")
            expectCorpusError(.malformedFrontMatter, file: unclosed, line: 3, field: nil) {
                _ = try CorpusReader(path: dir.path("unclosed")).readAll()
            }
            let neverClosed = try dir.write("never/a.md", "---\ntitle: x\n")
            expectCorpusError(.malformedFrontMatter, file: neverClosed, line: 1, field: nil) {
                _ = try CorpusReader(path: dir.path("never")).readAll()
            }
            let list = try dir.write("list/a.md", "---\ntitle: [a, b]\n---\nbody\n")
            expectCorpusError(.wrongType, file: list, line: 2, field: "title") { _ = try CorpusReader(path: dir.path("list")).readAll() }
            let date = try dir.write("date/a.md", "---\ndate: someday\n---\nt\nbody\n")
            expectCorpusError(.invalidDate, file: date, line: 1, field: "date") { _ = try CorpusReader(path: dir.path("date")).readAll() }
        }
    }

    @Test func textFileQueriesReadFrontMatterToo() throws {
        try withTemporaryDirectory { dir in
            let path = try dir.write("q.md", "---\ntitle: Query\nbody: not the body\ndate: 1486614600\n---\n<p>Body &amp; more</p>")
            let article = try Article(textFile: path)
            #expect(article.id == path && article.title == "Query" && article.body == "Body & more\n")
            #expect(article.date?.description == "2017-02-09T04:30:00Z")
        }
    }
}
