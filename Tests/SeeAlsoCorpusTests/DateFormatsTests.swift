import Foundation
import Testing
import SeeAlsoCorpus
import SeeAlsoTestSupport

/// ISO 8601 with offsets, RFC 2822 and epoch seconds (`ArticleDate(parsing:assuming:)`), the offset
/// kept and shown, and `DateZone`.
@Suite struct DateFormatsTests {
    @Test(arguments: [
        // text, the UTC instant, how it is shown (at its own offset)
        ("2017-02-08T23:30:00-05:00", "2017-02-09T04:30:00Z", "2017-02-08T23:30:00-05:00"),
        ("2017-02-08T23:30:00+0530", "2017-02-08T18:00:00Z", "2017-02-08T23:30:00+05:30"),
        ("2017-02-08T23:30:00+00:00", "2017-02-08T23:30:00Z", "2017-02-08T23:30:00Z"),
        ("2017-02-08", "2017-02-08", "2017-02-08"),
        ("Tue, 08 Feb 2017 23:30:00 -0500", "2017-02-09T04:30:00Z", "2017-02-08T23:30:00-05:00"),
        ("Wed, 8 Feb 2017 23:30:00 +0100", "2017-02-08T22:30:00Z", "2017-02-08T23:30:00+01:00"),
        ("08 Feb 2017 23:30 GMT", "2017-02-08T23:30:00Z", "2017-02-08T23:30:00Z"),
        ("8 feb 2017 23:30:05 UT", "2017-02-08T23:30:05Z", "2017-02-08T23:30:05Z"),
        ("Tue, 08 Feb 2017 23:30:00 Z", "2017-02-08T23:30:00Z", "2017-02-08T23:30:00Z"),
        ("Tue, 08 Feb 2017 23:30:00 EST", "2017-02-09T04:30:00Z", "2017-02-08T23:30:00-05:00"),
        ("Sat, 08 Jul 2017 10:00:00 EDT", "2017-07-08T14:00:00Z", "2017-07-08T10:00:00-04:00"),
        ("Tue, 08 Feb 2017 10:00:00 CST", "2017-02-08T16:00:00Z", "2017-02-08T10:00:00-06:00"),
        ("Tue, 08 Feb 2017 10:00:00 MDT", "2017-02-08T16:00:00Z", "2017-02-08T10:00:00-06:00"),
        ("Tue, 08 Feb 2017 10:00:00 PST", "2017-02-08T18:00:00Z", "2017-02-08T10:00:00-08:00"),
        ("Tue, 08 Feb 2017 10:00:00 PDT", "2017-02-08T17:00:00Z", "2017-02-08T10:00:00-07:00"),
        ("Tue,08 Feb 2017 10:00:00 MST (Mountain)", "2017-02-08T17:00:00Z", "2017-02-08T10:00:00-07:00"),
        // Obsolete years: 2 digits (< 50: 20xx) and 3 digits (+1900).
        ("08 Feb 17 10:00 GMT", "2017-02-08T10:00:00Z", "2017-02-08T10:00:00Z"),
        ("08 Feb 99 10:00 GMT", "1999-02-08T10:00:00Z", "1999-02-08T10:00:00Z"),
        ("08 Feb 117 10:00 GMT", "2017-02-08T10:00:00Z", "2017-02-08T10:00:00Z"),
        ("29 Feb 2016 10:00 +0000", "2016-02-29T10:00:00Z", "2016-02-29T10:00:00Z"),
        // Epoch seconds, as text (a JSON number reaches the parser as its text); fractions dropped.
        ("1486614600", "2017-02-09T04:30:00Z", "2017-02-09T04:30:00Z"),
        ("1486614600.75", "2017-02-09T04:30:00Z", "2017-02-09T04:30:00Z"),
        ("100000000", "1973-03-03T09:46:40Z", "1973-03-03T09:46:40Z"),
        ("-100000000", "1966-10-31T14:13:20Z", "1966-10-31T14:13:20Z"),
        ("  2017-02-08T10:00:00Z  ", "2017-02-08T10:00:00Z", "2017-02-08T10:00:00Z"),
    ])
    func parsesKeepingTheOffset(text: String, instant: String, shown: String) throws {
        let date = try ArticleDate(parsing: text)
        #expect(date.description == shown)
        #expect(date.shown(in: .utc).description == instant)
        #expect(date.secondsSinceEpoch == ArticleDate(iso: instant)!.secondsSinceEpoch)
        // What is shown parses back to the same date, offset included.
        #expect(try ArticleDate(parsing: date.description) == date)
    }

    @Test(arguments: [
        "", "yesterday", "2017-02-30", "Tue, 30 Feb 2017 10:00:00 GMT", "Tue 08 Feb 2017 10:00:00 GMT", "08 Foo 2017 10:00 GMT",
        "08 Feb 2017 25:00 GMT", "08 Feb 2017 10:00 XYZ", "08 Feb 2017 10:00", "08 Feb 2017 10:00 +05", "08 Feb 2017 10:00 +2400",
        "Tue, 08 Feb 7 10:00 GMT", "Funday, 08 Feb 2017 10:00 GMT", "08 Feb 2017 10:00 GMT trailing", "1486614600x", "1.5e9",
        "2017", "20170208", "12345678", "1486614600000", "1486614600000000", "--1486614600",
    ])
    func refusesWithAMessage(_ text: String) {
        let error = #expect(throws: ArticleDateError.self) { try ArticleDate(parsing: text) }
        #expect(error?.description.contains("\"\(text)\"") == true, "\(String(describing: error))")
    }

    @Test func millisecondsAreNamedAsSuch() {
        let error = #expect(throws: ArticleDateError.self) { try ArticleDate(parsing: "1486614600000") }
        #expect(error?.description.contains("milliseconds") == true)
    }

    @Test func orderUsesTheInstantNotTheWallClock() throws {
        let newYork = try ArticleDate(parsing: "2017-02-08T23:30:00-05:00")  // 04:30Z on the 9th
        let rome = try ArticleDate(parsing: "2017-02-09T01:00:00+01:00")     // 00:00Z on the 9th
        #expect(rome < newYork)
        #expect(newYork.secondsSinceEpoch - rome.secondsSinceEpoch == 16_200)
        #expect(newYork.dayNumber == rome.dayNumber)
        let sameInstant = try ArticleDate(parsing: "2017-02-09T04:30:00Z")
        #expect(!(sameInstant < newYork) && !(newYork < sameInstant))
        #expect(sameInstant.shown(in: DateZone(offsetSeconds: -18_000)) == newYork)
    }

    @Test func zonesForTimesWithoutAnOffset() throws {
        let fixed = try DateZone(parsing: "+05:30")
        #expect(fixed.description == "+05:30")
        #expect(try ArticleDate(parsing: "2017-02-08T10:00:00", assuming: fixed).description == "2017-02-08T10:00:00+05:30")
        // An offset in the text wins; a date without a time is not moved; epoch seconds are shown in the zone.
        #expect(try ArticleDate(parsing: "2017-02-08T10:00:00Z", assuming: fixed).description == "2017-02-08T10:00:00Z")
        #expect(try ArticleDate(parsing: "2017-02-08", assuming: fixed).description == "2017-02-08")
        #expect(try ArticleDate(parsing: "1486614600", assuming: fixed).description == "2017-02-09T10:00:00+05:30")
        for (text, offset) in [("UTC", 0), ("utc", 0), ("GMT", 0), ("Z", 0), ("-05:00", -18_000), ("-0500", -18_000), ("+09", 32_400)] {
            #expect(try DateZone(parsing: text).offset(at: 0) == offset, "\(text)")
        }
        for bad in ["", "+25:00", "+05:60", "+5", "EST5", "Mars/Olympus", "+05:3"] {
            let error = #expect(throws: ArticleDateError.self) { try DateZone(parsing: bad) }
            #expect(error?.description.contains("\"\(bad)\"") == true)
        }
    }

    /// IANA zones follow daylight saving time (needs the system tz database, as Debian's tzdata has it).
    @Test func namedZonesFollowDaylightSaving() throws {
        let zone = try DateZone(parsing: "America/New_York")
        #expect(zone.description == "America/New_York")
        #expect(try ArticleDate(parsing: "2017-02-08T23:30:00", assuming: zone).description == "2017-02-08T23:30:00-05:00")
        #expect(try ArticleDate(parsing: "2017-07-08T23:30:00", assuming: zone).description == "2017-07-08T23:30:00-04:00")
        // 02:30 on 2017-03-12 does not exist there: read with the offset before the change (07:30Z).
        #expect(try ArticleDate(parsing: "2017-03-12T02:30:00", assuming: zone).shown(in: .utc).description == "2017-03-12T07:30:00Z")
        // 01:30 on 2017-11-05 happens twice: the first (EDT).
        #expect(try ArticleDate(parsing: "2017-11-05T01:30:00", assuming: zone).description == "2017-11-05T01:30:00-04:00")
        let rome = try DateZone(parsing: "Europe/Rome")
        #expect(try ArticleDate(parsing: "2017-02-09T04:30:00Z").shown(in: rome).description == "2017-02-09T05:30:00+01:00")
    }

    @Test func readersParseEveryFormatAndNameTheBadLine() throws {
        try withTemporaryDirectory { dir in
            let path = try dir.write("dates.jsonl", jsonl([
                #"{"id":"iso","body":"x","date":"2017-02-08T23:30:00-05:00"}"#,
                #"{"id":"rfc","body":"x","date":"Tue, 08 Feb 2017 23:30:00 -0500"}"#,
                #"{"id":"number","body":"x","date":1486614600}"#,
                #"{"id":"digits","body":"x","date":"1486614600"}"#,
                #"{"id":"local","body":"x","date":"2017-02-08 23:30"}"#,
            ]))
            var options = CorpusOptions()
            options.timeZone = try DateZone(parsing: "-05:00")
            let articles = try CorpusReader(path: path, options: options).readAll().articles
            #expect(articles.map { $0.date!.description } == Array(repeating: "2017-02-08T23:30:00-05:00", count: 5))
            #expect(Set(articles.map { $0.date!.secondsSinceEpoch }).count == 1)

            let bad = try dir.write("bad.jsonl", jsonl([
                #"{"id":"a","body":"x","date":"2017-02-08"}"#,
                #"{"id":"b","body":"x","date":1486614600000}"#,
            ]))
            let error = expectCorpusError(.invalidDate, file: bad, line: 2, field: "date") { _ = try CorpusReader(path: bad).readAll() }
            #expect(error?.message.contains("milliseconds") == true)
            let csv = try dir.write("bad.csv", "id,body,date\n1,x,Tue 08 Feb 2017\n")
            expectCorpusError(.invalidDate, file: csv, line: 2, field: "date") { _ = try CorpusReader(path: csv).readAll() }
        }
    }
}
