import Foundation
import Testing
import SeeAlsoCorpus
import SeeAlsoSupport
import SeeAlsoTestSupport

@Suite struct ArticleDateTests {
    @Test(arguments: [
        ("1970-01-01", Int64(0), false),
        ("1970-01-01T00:00:00Z", 0, true),
        ("1970-01-01T00:00:01Z", 1, true),
        ("1969-12-31", -86_400, false),
        ("1969-12-31T23:59:59Z", -1, true),
        ("1900-01-01", -2_208_988_800, false),
        ("2000-02-29", 951_782_400, false),
        ("2016-02-29T12:00:00Z", 1_456_747_200, true),
        ("2038-01-19T03:14:08Z", 2_147_483_648, true),
        ("0001-01-01", -62_135_596_800, false),
        ("9999-12-31T23:59:59Z", 253_402_300_799, true),
        ("1600-03-01", -11_670_912_000, false),
        // Year 0 of the proleptic Gregorian calendar (a leap year); 0000-03-01 is the algorithm's day 0.
        ("0000-03-01", Int64(-719_468 * 86_400), false),
        ("0000-02-29T12:00:00Z", Int64(-719_469 * 86_400 + 43_200), true),
    ])
    func parsesAndPrintsCanonicalText(text: String, seconds: Int64, hasTime: Bool) throws {
        let date = try #require(ArticleDate(iso: text))
        #expect(date.secondsSinceEpoch == seconds)
        #expect(date.hasTime == hasTime)
        #expect(date.description == text)
        #expect(ArticleDate(iso: date.description) == date)
    }

    @Test(arguments: [
        // Offsets are subtracted, and may move the UTC date across midnight, a month or a year.
        ("2017-01-01T23:30:00-02:00", "2017-01-02T01:30:00Z"),
        ("2017-01-01T00:30:00+01:00", "2016-12-31T23:30:00Z"),
        ("2016-03-01T00:15+0100", "2016-02-29T23:15:00Z"),
        ("2017-03-01T00:15:00+01:00", "2017-02-28T23:15:00Z"),
        ("2000-02-28T23:00:00-02:00", "2000-02-29T01:00:00Z"),
        ("1900-02-28T23:00:00-02:00", "1900-03-01T01:00:00Z"),
        ("1970-01-01T00:00:00+00:01", "1969-12-31T23:59:00Z"),
        ("2017-02-07T10:30:00+00:00", "2017-02-07T10:30:00Z"),
        ("2017-02-07T10:30:00-00:00", "2017-02-07T10:30:00Z"),
        ("2017-02-07T10:30:00+23:59", "2017-02-06T10:31:00Z"),
        // Variants: space or lowercase t/z, no seconds, fractions dropped (not rounded), trailing spaces.
        ("2017-02-07 10:30:00", "2017-02-07T10:30:00Z"),
        ("2017-02-07t10:30:00z", "2017-02-07T10:30:00Z"),
        ("2017-02-07T10:30", "2017-02-07T10:30:00Z"),
        ("2017-02-07T10:30Z", "2017-02-07T10:30:00Z"),
        ("2017-02-07T10:30:59.999999Z", "2017-02-07T10:30:59Z"),
        ("2017-02-07T10:30:00,5+01:00", "2017-02-07T09:30:00Z"),
        ("2017-02-07   ", "2017-02-07"),
        // A leap second is accepted and lands on the next second.
        ("2016-12-31T23:59:60Z", "2017-01-01T00:00:00Z"),
    ])
    func normalizesToUTC(text: String, expected: String) throws {
        let date = try #require(ArticleDate(iso: text))
        #expect(date.shown(in: .utc).description == expected)
        #expect(date.secondsSinceEpoch == ArticleDate(iso: expected)!.secondsSinceEpoch)
    }

    @Test(arguments: [
        "", "yesterday", "2017", "2017-02", "17-02-07", "2017-2-7", "2017/02/07", " 2017-02-07",
        "2017-00-10", "2017-13-01", "2017-01-00", "2017-01-32", "2017-04-31", "2017-06-31", "2017-09-31", "2017-11-31",
        "2017-02-29", "1900-02-29", "2100-02-29", "2017-02-30",
        "2017-02-07T", "2017-02-07T24:00:00Z", "2017-02-07T10:60", "2017-02-07T10:30:61", "2017-02-07T1:30",
        "2017-02-07T10:30:00.Z", "2017-02-07T10:30:00+24:00", "2017-02-07T10:30:00+01:60", "2017-02-07T10:30:00+1",
        "2017-02-07T10:30:00 Z", "2017-02-07X", "2017-02-07T10:30:00ZZ", "2017-02-07T10:30:00+01:00:00",
        "２０１７-02-07", "-2017-02-07",
    ])
    func rejectsInvalidText(_ text: String) {
        #expect(ArticleDate(iso: text) == nil)
    }

    @Test func leapYears() {
        for year in [1600, 1996, 2000, 2004, 2016, 2020, 2024, 2400] {
            #expect(ArticleDate(iso: "\(year)-02-29") != nil, "\(year) is a leap year")
        }
        for year in [1700, 1800, 1900, 1999, 2017, 2100, 2200, 2300] {
            #expect(ArticleDate(iso: "\(year)-02-29") == nil, "\(year) is not a leap year")
        }
        let feb29 = ArticleDate(iso: "2024-02-29")!
        let mar1 = ArticleDate(iso: "2024-03-01")!
        #expect(mar1.secondsSinceEpoch - feb29.secondsSinceEpoch == 86_400)
        let dec31 = ArticleDate(iso: "2024-12-31")!
        let jan1 = ArticleDate(iso: "2024-01-01")!
        #expect((dec31.secondsSinceEpoch - jan1.secondsSinceEpoch) / 86_400 == 365)
    }

    @Test func dayNumberFloorsNegativeTimes() {
        let cases: [(Int64, Int64)] = [
            (0, 0), (1, 0), (86_399, 0), (86_400, 1), (-1, -1), (-86_399, -1), (-86_400, -1), (-86_401, -2), (-172_800, -2),
        ]
        for (seconds, day) in cases {
            #expect(ArticleDate(secondsSinceEpoch: seconds, hasTime: true).dayNumber == day, "\(seconds)")
        }
        #expect(ArticleDate(secondsSinceEpoch: -1, hasTime: true).description == "1969-12-31T23:59:59Z")
        #expect(ArticleDate(secondsSinceEpoch: -86_401, hasTime: true).description == "1969-12-30T23:59:59Z")
        #expect(ArticleDate(secondsSinceEpoch: -1, hasTime: false).description == "1969-12-31")
    }

    @Test func orderAndEqualityFollowSecondsAndPrecision() {
        let day = ArticleDate(iso: "2017-02-07")!
        let midnight = ArticleDate(iso: "2017-02-07T00:00:00Z")!
        let later = ArticleDate(iso: "2017-02-07T00:00:01Z")!
        #expect(day.secondsSinceEpoch == midnight.secondsSinceEpoch)
        #expect(day != midnight) // precision differs
        #expect(!(day < midnight) && !(midnight < day))
        #expect(midnight < later)
        #expect([later, day, ArticleDate(iso: "1999-01-01")!].sorted().map(\.description) == ["1999-01-01", "2017-02-07", "2017-02-07T00:00:01Z"])
    }

    /// Random instants in years 1600…9999 print as Foundation's proleptic Gregorian calendar says
    /// (Foundation switches to the Julian calendar before 1582) and parse back to themselves.
    @Test func randomRoundTripsAgreeWithFoundation() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: "UTC"))
        var rng = SplitMix64(seed: 1234)
        let low: Int64 = -11_670_912_000   // 1600-03-01
        let high: Int64 = 253_402_300_799  // 9999-12-31T23:59:59Z
        for _ in 0..<5000 {
            let seconds = Int64.random(in: low...high, using: &rng)
            let withTime = ArticleDate(secondsSinceEpoch: seconds, hasTime: true)
            let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second],
                                                from: Date(timeIntervalSince1970: TimeInterval(seconds)))
            let expected = String(format: "%04d-%02d-%02dT%02d:%02d:%02dZ",
                                  parts.year!, parts.month!, parts.day!, parts.hour!, parts.minute!, parts.second!)
            #expect(withTime.description == expected)
            #expect(ArticleDate(iso: withTime.description) == withTime)

            let dayOnly = ArticleDate(secondsSinceEpoch: withTime.dayNumber * 86_400, hasTime: false)
            #expect(dayOnly.description == String(expected.prefix(10)))
            #expect(ArticleDate(iso: dayOnly.description) == dayOnly)
        }
    }

    @Test func offsetFormsAgree() throws {
        let forms = ["2017-02-07T12:00:00+05:30", "2017-02-07T12:00:00+0530", "2017-02-07T06:30:00Z", "2017-02-07 06:30Z"]
        let dates = try forms.map { try #require(ArticleDate(iso: $0)) }
        #expect(Set(dates.map(\.secondsSinceEpoch)).count == 1)
        // The same instant, shown at the offset each was written with.
        #expect(dates.map(\.description) == ["2017-02-07T12:00:00+05:30", "2017-02-07T12:00:00+05:30", "2017-02-07T06:30:00Z", "2017-02-07T06:30:00Z"])
    }
}
