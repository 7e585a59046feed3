import Foundation
import Testing
import SeeAlsoCorpus
import SeeAlsoTestSupport

/// JSON Lines input that must be read: field mapping, JSON syntax, line endings and line numbers.
@Suite struct JSONLReaderTests {
    @Test func readsEveryMappedField() throws {
        try withTemporaryDirectory { dir in
            let path = try dir.write("full.jsonl", jsonl([
                #"{"id":"a1","title":"First story","body":"Hello world","date":"2017-02-07","url":"https://example.com/a1","label":"politics","event":"e1","lang":"en"}"#,
            ]))
            let articles = try readArticles(path)
            #expect(articles == [Article(
                id: "a1", title: "First story", body: "Hello world",
                date: ArticleDate(secondsSinceEpoch: 17_204 * 86_400, hasTime: false),
                url: "https://example.com/a1", label: "politics", event: "e1", language: "en")])
            #expect(articles.first?.date?.description == "2017-02-07")
        }
    }

    @Test func numericIdsLabelsAndEventsKeepTheirText() throws {
        try withTemporaryDirectory { dir in
            let path = try dir.write("numbers.jsonl", jsonl([
                #"{"id":12,"body":"twelve","label":3,"event":-7}"#,
                #"{"id":1.5e3,"body":"float text as written"}"#,
                #"{"id":"12b","body":"string id"}"#,
                #"{"id":0,"body":"zero"}"#,
            ]))
            let articles = try readArticles(path)
            #expect(articles.map(\.id) == ["12", "1.5e3", "12b", "0"])
            #expect(articles[0].label == "3")
            #expect(articles[0].event == "-7")
            #expect(articles[0].title == "")
        }
    }

    @Test func textIsTheBodyWhenBodyIsAbsentAndBodyWinsOverText() throws {
        try withTemporaryDirectory { dir in
            let path = try dir.write("text.jsonl", jsonl([
                #"{"id":"t","text":"from text"}"#,
                #"{"id":"bt","body":"body wins","text":"text loses"}"#,
                #"{"id":"tb","text":"text loses","body":"body wins"}"#,
                #"{"id":"bn","body":null,"text":"text when body is null"}"#,
                #"{"id":"be","body":"","text":"an empty body still wins"}"#,
            ]))
            let articles = try readArticles(path)
            #expect(articles.map(\.body) == ["from text", "body wins", "body wins", "text when body is null", ""])
        }
    }

    @Test func nullsAndEmptyOptionalFieldsBecomeAbsent() throws {
        try withTemporaryDirectory { dir in
            let path = try dir.write("nulls.jsonl", jsonl([
                #"{"id":"n","title":null,"body":"x","date":null,"url":null,"label":null,"event":null,"lang":null,"text":null}"#,
                #"{"id":"e","title":"","body":"y","date":"","url":"","lang":""}"#,
            ]))
            let articles = try readArticles(path)
            #expect(articles == [Article(id: "n", body: "x"), Article(id: "e", body: "y")])
            #expect(articles.allSatisfy { $0.date == nil && $0.url == nil && $0.language == nil && $0.label == nil })
        }
    }

    @Test func unknownFieldsOfEveryTypeAreIgnored() throws {
        try withTemporaryDirectory { dir in
            let path = try dir.write("unknown.jsonl", jsonl([
                #"{"meta":{"a":[1,2,{"b":null,"c":[[],{}]}],"d":"\u00e9\"}"},"id":"u","keywords":["x","y"],"score":-1.5E+3,"n":0,"f":0.25,"big":12345678901234567890,"flag":false,"ok":true,"none":null,"empty":{},"list":[],"body":"u body"}"#,
                #"  { "id" : "spaced" ,\#t"body" : "tabs and spaces around tokens" , "x" : [ 1 , 2 ] }  "#,
            ]))
            let articles = try readArticles(path)
            #expect(articles == [Article(id: "u", body: "u body"), Article(id: "spaced", body: "tabs and spaces around tokens")])
        }
    }

    @Test func stringEscapesAreDecoded() throws {
        try withTemporaryDirectory { dir in
            let path = try dir.write("escapes.jsonl", jsonl([
                #"{"id":"e1","title":"Caf\u00e9 \"quoted\" \u00E9","body":"line1\nline2\ttab \\ back \/ slash \b\f\r"}"#,
                #"{"id":"e2","body":"emoji \ud83d\ude00 end"}"#,
                #"{"id":"e3","body":"lone high \ud800 lone low \udc00 end"}"#,
                #"{"id":"e4","body":"high then letter \ud83d\u0041 high at end \ud83d"}"#,
                #"{"id":"e5","body":"raw UTF-8 é 😀 ß stays as is"}"#,
                #"{"id":"e6","body":"\u0000 nul escape"}"#,
                // Long enough to use the 8-byte fast path on both sides of an escape.
                #"{"id":"e7","body":"abcdefghijklmnopqrstuvwxyz\"abcdefghijklmnopqrstuvwxyz\\abcdefgh\u00e9ijklmnop"}"#,
            ]))
            let articles = try readArticles(path)
            try #require(articles.count == 7)
            #expect(articles[0].title == "Café \"quoted\" é")
            #expect(articles[0].body == "line1\nline2\ttab \\ back / slash \u{8}\u{C}\r")
            #expect(articles[1].body == "emoji 😀 end")
            #expect(Array(articles[1].body.unicodeScalars.map(\.value)).contains(0x1F600))
            #expect(articles[2].body == "lone high \u{FFFD} lone low \u{FFFD} end")
            #expect(articles[3].body == "high then letter \u{FFFD}A high at end \u{FFFD}")
            #expect(articles[4].body == "raw UTF-8 é 😀 ß stays as is")
            #expect(articles[5].body == "\u{0} nul escape")
            #expect(articles[6].body == "abcdefghijklmnopqrstuvwxyz\"abcdefghijklmnopqrstuvwxyz\\abcdefghéijklmnop")
        }
    }

    @Test func decomposedTextIsKeptScalarForScalar() throws {
        try withTemporaryDirectory { dir in
            let path = try dir.write("nfd.jsonl", jsonl([
                #"{"id":"nfd","body":"cafe\u0301"}"#,
                "{\"id\":\"nfd-raw\",\"body\":\"cafe\u{301}\"}",
            ]))
            let articles = try readArticles(path)
            for article in articles {
                #expect(Array(article.body.unicodeScalars.map(\.value)) == [0x63, 0x61, 0x66, 0x65, 0x301])
            }
        }
    }

    @Test func crlfEndingsBomAndBlankLinesKeepLineNumbers() throws {
        try withTemporaryDirectory { dir in
            var bytes: [UInt8] = [0xEF, 0xBB, 0xBF]
            bytes += Array((
                #"{"id":"a","body":"first"}"# + "\r\n" +
                "\r\n" +                                         // line 2: blank (CRLF)
                "   \t \r\n" +                                   // line 3: whitespace only
                #"{"id":"b","body":"fourth line"}"# + "\r\n" +
                "\n" +                                           // line 5: blank
                #"{"id":"c","body":"six, no final newline"}"#
            ).utf8)
            let path = try dir.write("crlf.jsonl", bytes: bytes)
            let records = try decodeAll(path)
            #expect(records.errors.isEmpty)
            #expect(records.articles.map(\.id) == ["a", "b", "c"])
            #expect(records.articles.map(\.body) == ["first", "fourth line", "six, no final newline"])
            #expect(records.lines == [1, 4, 6])
            #expect(!records.articles.contains { $0.body.contains("\r") || $0.id.contains("\u{FEFF}") })
        }
    }

    @Test func lineNumbersCountBlankLinesInErrors() throws {
        try withTemporaryDirectory { dir in
            let path = try dir.write("blank-then-bad.jsonl", "\n\n" + #"{"id":"a","body":"x"}"# + "\n\n\n" + #"{"id":"b"}"# + "\n")
            expectCorpusError(.missingField, file: path, line: 6, field: "body") { _ = try readArticles(path) }
        }
    }

    @Test func datesWithAndWithoutTimesAndOffsets() throws {
        try withTemporaryDirectory { dir in
            let path = try dir.write("dates.jsonl", jsonl([
                #"{"id":"d1","body":"x","date":"2017-02-07"}"#,
                #"{"id":"d2","body":"x","date":"2017-02-07T10:30:00Z"}"#,
                #"{"id":"d3","body":"x","date":"2017-02-07T10:30:00+02:00"}"#,
                #"{"id":"d4","body":"x","date":"2017-02-07T23:30:00-0130"}"#,
                #"{"id":"d5","body":"x","date":"2017-02-07 10:30"}"#,
                #"{"id":"d6","body":"x","date":"2017-02-07T10:30:15.999Z"}"#,
            ]))
            let articles = try readArticles(path)
            #expect(articles.map { $0.date?.shown(in: .utc).description } == [
                "2017-02-07", "2017-02-07T10:30:00Z", "2017-02-07T08:30:00Z", "2017-02-08T01:00:00Z",
                "2017-02-07T10:30:00Z", "2017-02-07T10:30:15Z",
            ])
            // Each shown at the offset it was written with.
            #expect(articles.map { $0.date?.description } == [
                "2017-02-07", "2017-02-07T10:30:00Z", "2017-02-07T10:30:00+02:00", "2017-02-07T23:30:00-01:30",
                "2017-02-07T10:30:00Z", "2017-02-07T10:30:15Z",
            ])
            #expect(articles.map { $0.date?.hasTime } == [false, true, true, true, true, true])
            #expect(articles[0].date?.secondsSinceEpoch == 1_486_425_600)
            #expect(articles[1].date?.secondsSinceEpoch == 1_486_463_400)
        }
    }

    @Test func explicitFormatOverridesTheExtension() throws {
        try withTemporaryDirectory { dir in
            let path = try dir.write("records.csv", jsonl([#"{"id":"a","body":"json in a .csv file"}"#]))
            let reader = try CorpusReader(path: path, options: options(format: .jsonl))
            #expect(reader.format == .jsonl)
            #expect(try reader.readAll().articles == [Article(id: "a", body: "json in a .csv file")])
        }
    }

    @Test func skippedIsEmptyWhenEverythingIsValid() throws {
        try withTemporaryDirectory { dir in
            let path = try dir.write("ok.jsonl", jsonl([#"{"id":"a","body":"x"}"#]))
            let result = try CorpusReader(path: path).readAll()
            #expect(result.skipped.count == 0)
            #expect(result.skipped.summary() == "no invalid records")
        }
    }
}
