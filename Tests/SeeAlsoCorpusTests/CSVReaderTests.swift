import Foundation
import Testing
import SeeAlsoCorpus
import SeeAlsoSupport
import SeeAlsoTestSupport

/// CSV and TSV input: header mapping, `--columns`, RFC 4180 quoting, line numbers and errors.
@Suite struct CSVReaderTests {
    @Test func headerNamesMapCaseInsensitivelyAndTextIsTheBody() throws {
        try withTemporaryDirectory { dir in
            let path = try dir.write("news.csv", """
                ID,Title,TEXT,Date,URL,Label,Event,Lang,Extra
                a1,First story,Hello world,2017-02-07,https://example.com/a1,politics,e1,en,ignored
                a2,,Second body,,,,,,

                """)
            let reader = try CorpusReader(path: path)
            #expect(reader.format == .csv)
            let articles = try reader.readAll().articles
            #expect(articles == [
                Article(id: "a1", title: "First story", body: "Hello world",
                        date: ArticleDate(iso: "2017-02-07"), url: "https://example.com/a1",
                        label: "politics", event: "e1", language: "en"),
                Article(id: "a2", body: "Second body"),
            ])
        }
    }

    @Test func bodyColumnWinsOverTextColumn() throws {
        try withTemporaryDirectory { dir in
            let path = try dir.write("both.csv", "text,id,body\nthe text,1,the body\n")
            #expect(try readArticles(path).map(\.body) == ["the body"])
        }
    }

    @Test func parseColumnsMapsFieldsToColumnNames() throws {
        #expect(try CorpusOptions.parseColumns("id=Key,body=Text") == [.id: "Key", .body: "Text"])
        #expect(try CorpusOptions.parseColumns(" ID = Key , text = Story,title=Head=line") == [.id: "Key", .body: "Story", .title: "Head=line"])
        #expect(try CorpusOptions.parseColumns("") == [:])
        #expect(try CorpusOptions.parseColumns("lang=Language,date=Published,url=Link,label=Topic,event=Story")
                    == [.lang: "Language", .date: "Published", .url: "Link", .label: "Topic", .event: "Story"])
    }

    @Test(arguments: ["byline=Writer", "id=Key,colour=Red", "id", "id=", "=Key", "id=Key,body"])
    func parseColumnsRejectsBadPairs(_ text: String) throws {
        let error = expectCorpusError(.badOption, file: "--columns", line: nil, field: nil) {
            _ = try CorpusOptions.parseColumns(text)
        }
        #expect(error != nil)
    }

    @Test func columnsOptionMapsOtherNames() throws {
        try withTemporaryDirectory { dir in
            let path = try dir.write("mapped.csv", "Key,Headline,Text,id\nk1,Head one,Body one,not-this-id\nk2,Head two,Body two,nor-this\n")
            let mapping = try CorpusOptions.parseColumns("id=Key,title=headline,body=Text")
            let articles = try readArticles(path, options(columns: mapping))
            #expect(articles == [
                Article(id: "k1", title: "Head one", body: "Body one"),
                Article(id: "k2", title: "Head two", body: "Body two"),
            ])
        }
    }

    @Test func columnsOptionNamingAMissingColumnIsABadOption() throws {
        try withTemporaryDirectory { dir in
            let path = try dir.write("mapped.csv", "Key,Text\nk1,Body\n")
            let error = expectCorpusError(.badOption, file: path, line: 1, field: "title") {
                _ = try CorpusReader(path: path, options: options(columns: try CorpusOptions.parseColumns("id=Key,body=Text,title=Headline")))
            }
            #expect(error?.message.contains("Headline") == true)
        }
    }

    @Test func headerWithoutIdColumnIsAMissingField() throws {
        try withTemporaryDirectory { dir in
            let path = try dir.write("no-id.csv", "Key,body\nk1,Body\n")
            let error = expectCorpusError(.missingField, file: path, line: 1, field: "id") { _ = try CorpusReader(path: path) }
            #expect(error?.message.contains("Key") == true)
        }
    }

    @Test func headerWithoutBodyColumnIsAMissingField() throws {
        try withTemporaryDirectory { dir in
            let path = try dir.write("no-body.csv", "id,title\n1,t\n")
            expectCorpusError(.missingField, file: path, line: 1, field: "body") { _ = try CorpusReader(path: path) }
        }
    }

    @Test func quotedFieldsWithDoubledQuotesCommasAndNewlines() throws {
        try withTemporaryDirectory { dir in
            let path = try dir.write("quoted.csv", #"""
                id,title,body
                1,"Title, with comma","He said ""hi"", then left"
                2,plain,"first line
                second line

                fourth line"
                3,"",""
                "4",after,multi-line record
                5,"""quoted""",x

                """#)
            let records = try decodeAll(path)
            #expect(records.errors.isEmpty)
            #expect(records.articles.map(\.id) == ["1", "2", "3", "4", "5"])
            #expect(records.articles.map(\.title) == ["Title, with comma", "plain", "", "after", "\"quoted\""])
            #expect(records.articles.map(\.body) == [
                "He said \"hi\", then left", "first line\nsecond line\n\nfourth line", "", "multi-line record", "x",
            ])
            // A record's line is the line it starts on; the next record's line counts the spanned lines.
            #expect(records.lines == [2, 3, 7, 8, 9])
        }
    }

    @Test func errorAfterAMultiLineRecordHasTheRightLine() throws {
        try withTemporaryDirectory { dir in
            let path = try dir.write("later-error.csv", "id,body\n1,\"a\nb\nc\"\n2,ok\n3,too,many\n")
            let error = expectCorpusError(.malformedCSV, file: path, line: 6, field: nil) { _ = try readArticles(path) }
            #expect(error?.message.contains("3 fields") == true)
        }
    }

    @Test func crlfLineEndingsAndBom() throws {
        try withTemporaryDirectory { dir in
            let text = "id,title,body\r\n1,One,\"quoted\r\nacross CRLF\"\r\n\r\n2,Two,plain\r\n3,Three,last without newline"
            let path = try dir.write("crlf.csv", bytes: [0xEF, 0xBB, 0xBF] + Array(text.utf8))
            let records = try decodeAll(path)
            #expect(records.errors.isEmpty)
            #expect(records.articles.map(\.id) == ["1", "2", "3"])
            #expect(records.articles.map(\.body) == ["quoted\r\nacross CRLF", "plain", "last without newline"])
            #expect(records.lines == [2, 5, 6])
            #expect(!records.articles.contains { $0.title.contains("\r") || $0.body.hasSuffix("\r") })
        }
    }

    @Test func tsvByExtension() throws {
        try withTemporaryDirectory { dir in
            let path = try dir.write("news.tsv", "id\ttitle\tbody\n1\tA, B\tcommas, are, literal\n2\t\"q\"\t\"tab\tinside\"\n")
            let reader = try CorpusReader(path: path)
            #expect(reader.format == .tsv)
            let articles = try reader.readAll().articles
            #expect(articles == [
                Article(id: "1", title: "A, B", body: "commas, are, literal"),
                Article(id: "2", title: "q", body: "tab\tinside"),
            ])
        }
    }

    @Test func commaFileReadAsTSVHasOneColumn() throws {
        try withTemporaryDirectory { dir in
            let path = try dir.write("commas.csv", "id,body\n1,x\n")
            expectCorpusError(.missingField, file: path, line: 1, field: "id") {
                _ = try CorpusReader(path: path, options: options(format: .tsv))
            }
        }
    }

    @Test func wrongFieldCount() throws {
        try withTemporaryDirectory { dir in
            let path = try dir.write("count.csv", "id,title,body\n1,t,b\n\n2,only two\n")
            let error = expectCorpusError(.malformedCSV, file: path, line: 4, field: nil) { _ = try readArticles(path) }
            #expect(error?.message.contains("2 fields") == true)
            #expect(error?.message.contains("3") == true)
        }
    }

    @Test func unterminatedQuoteAtEndOfFile() throws {
        try withTemporaryDirectory { dir in
            let path = try dir.write("open.csv", "id,body\n1,fine\n2,\"never closed\n3,swallowed\n")
            expectCorpusError(.malformedCSV, file: path, line: 3, field: nil) { _ = try readArticles(path) }
        }
    }

    @Test func textAfterClosingQuote() throws {
        try withTemporaryDirectory { dir in
            let path = try dir.write("after.csv", "id,body\n1,\"quoted\"tail\n")
            expectCorpusError(.malformedCSV, file: path, line: 2, field: "body") { _ = try readArticles(path) }
        }
    }

    @Test func invalidUTF8InAField() throws {
        try withTemporaryDirectory { dir in
            let bytes = Array("id,title,body\n1,ok,fine\n2,".utf8) + [0xC0, 0xAF] + Array(",body\n".utf8)
            let path = try dir.write("utf8.csv", bytes: bytes)
            expectCorpusError(.invalidUTF8, file: path, line: 3, field: "title") { _ = try readArticles(path) }
        }
    }

    @Test func fieldChecksApplyToCSVRows() throws {
        try withTemporaryDirectory { dir in
            let path = try dir.write("fields.csv", "id,body,date\n1,x,2017-02-07\n,no id,\n1,dup,\n3,y,2017-02-30\n4,z,\n")
            let result = try CorpusReader(path: path, options: options(skipInvalid: true)).readAll()
            #expect(result.articles.map(\.id) == ["1", "4"])
            #expect(result.skipped.errors.map(\.line) == [3, 4, 5])
            #expect(result.skipped.errors.map(\.kind) == [.missingField, .duplicateID, .invalidDate])
            #expect(result.skipped.errors.map(\.field) == ["id", "id", "date"])
        }
    }

    @Test func gzippedCSV() throws {
        try withTemporaryDirectory { dir in
            let plain = try dir.write("news.csv", "id,title,body\n1,One,\"multi\nline\"\n2,Two,\"with \"\"quotes\"\"\"\n")
            let gzipped = try dir.gzip(plain)
            let reader = try CorpusReader(path: gzipped)
            #expect(reader.format == .csv)
            let expected = try decodeAll(plain)
            let actual = try decodeAll(gzipped)
            #expect(actual == expected)
            #expect(actual.articles.map(\.body) == ["multi\nline", "with \"quotes\""])
            #expect(actual.lines == [2, 4])
        }
    }

    @Test func emptyFileAndHeaderOnly() throws {
        try withTemporaryDirectory { dir in
            let empty = try dir.write("empty.csv", "")
            expectCorpusError(.emptyCorpus, file: empty, line: nil, field: nil) { _ = try CorpusReader(path: empty) }
            let header = try dir.write("header.csv", "id,body\n\n")
            expectCorpusError(.emptyCorpus, file: header, line: nil, field: nil) { _ = try readArticles(header) }
        }
    }

    @Test func manyRowsAcrossBatches() throws {
        try withTemporaryDirectory { dir in
            var text = "id,title,body\n"
            var expectedLines: [Int] = []
            var line = 2
            var rng = SplitMix64(seed: 21)
            for index in 0..<3000 {
                expectedLines.append(line)
                if Bool.random(using: &rng) {
                    text += "\(index),\"t \(index)\",\"two\nlines \"\"\(index)\"\"\"\n"
                    line += 2
                } else {
                    text += "\(index),t \(index),one line \(index)\n"
                    line += 1
                }
            }
            let path = try dir.write("many.csv", text)
            let reference = try decodeAll(path)
            #expect(reference.lines == expectedLines)
            #expect(reference.articles.map(\.id) == (0..<3000).map(String.init))
            for batchBytes in [64, 1000] {
                #expect(try decodeAll(path, options(batchBytes: batchBytes)).articles == reference.articles)
                #expect(try decodeAll(path, options(batchBytes: batchBytes)).lines == expectedLines)
            }
        }
    }

    @Test func rowFarOverTheSizeLimitSpanningReads() throws {
        try withTemporaryDirectory { dir in
            let huge = "\"" + String(repeating: "long, \"\"quoted\"\"\nmulti-line ", count: 30_000) + "\""
            let path = try dir.write("huge.csv", "id,body\n1,short\n2,\(huge)\n3,after\n")
            let hugeLines = huge.filter { $0 == "\n" }.count
            expectCorpusError(.recordTooLarge, file: path, line: 3, field: nil) {
                _ = try readArticles(path, options(maxRecordBytes: 1000))
            }
            let records = try decodeAll(path, options(skipInvalid: true, maxRecordBytes: 1000))
            #expect(records.articles.map(\.id) == ["1", "3"])
            #expect(records.lines == [2, 4 + hugeLines])
            #expect(records.errors.map(\.line) == [3])
        }
    }

    /// `CorpusOptions.maxRecordBytes` covers "lines, rows, files": a CSV row over the limit is invalid.
    @Test func rowOverTheSizeLimit() throws {
        try withTemporaryDirectory { dir in
            let path = try dir.write("large.csv", "id,body\n1,short\n2,\(String(repeating: "x", count: 500))\n3,short\n")
            expectCorpusError(.recordTooLarge, file: path, line: 3, field: nil) {
                _ = try readArticles(path, options(maxRecordBytes: 100))
            }
        }
    }

    /// CSVFieldParser keeps a quote inside an unquoted field literally (`12" screen`), but the record
    /// splitter treats every quote as opening a quoted section, so the row swallows the lines after it.
    @Test func quoteInsideAnUnquotedField() throws {
        try withTemporaryDirectory { dir in
            let path = try dir.write("inch.csv", "id,body\n1,a 12\" screen\n2,plain\n3,also plain\n")
            let records = try decodeAll(path)
            #expect(records.errors.isEmpty)
            #expect(records.articles.map(\.body) == ["a 12\" screen", "plain", "also plain"])
            #expect(records.lines == [2, 3, 4])
        }
    }
}
