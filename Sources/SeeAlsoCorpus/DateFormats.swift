/// Why a date or a time zone could not be read.
public struct ArticleDateError: Error, CustomStringConvertible, Sendable, Equatable {
    public var description: String

    init(_ description: String) { self.description = description }
}

extension ArticleDate {
    /// Parses the date formats of news feeds and CMS exports:
    /// - ISO 8601 (see `ArticleDate`);
    /// - RFC 2822 (e-mail and RSS): `[Tue, ]08 Feb 2017 23:30[:00] -0500`, zones `±HHMM`, `UT`, `GMT`, `Z`
    ///   and `EST EDT CST CDT MST MDT PST PDT`; a 2-digit year is 19xx from 50 and 20xx below, a 3-digit
    ///   one 1900 + it (the RFC's obsolete forms); the weekday is checked to be a day name, not recomputed;
    /// - epoch seconds: an optional `-` and 9 to 11 digits, with an optional fraction that is dropped
    ///   (1973-03-03 … 5138). 12 digits or more are refused: they read as milliseconds, which SeeAlso does
    ///   not guess at; fewer than 9 too (a year or a compact date, not an instant).
    ///
    /// A time without an offset is wall-clock time in `zone`; epoch seconds are shown at `zone`'s offset.
    public init(parsing text: some StringProtocol, assuming zone: DateZone = .utc) throws(ArticleDateError) {
        var bytes = Array(text.utf8)
        while let last = bytes.last, last == 0x20 || last == 0x09 { bytes.removeLast() }
        while let first = bytes.first, first == 0x20 || first == 0x09 { bytes.removeFirst() }
        var iso = ISODateParser(bytes)
        if let parsed = iso.parse() {
            self = parsed.resolved(assuming: zone)
            return
        }
        if let seconds = try EpochSeconds.parse(bytes, text: String(text)) {
            self = ArticleDate(secondsSinceEpoch: seconds, hasTime: true, utcOffsetSeconds: zone.offset(at: seconds))
            return
        }
        var rfc = RFC2822Parser(bytes)
        if let parsed = rfc.parse() {
            self = parsed.resolved(assuming: zone)
            return
        }
        throw ArticleDateError("unparseable date \"\(text)\" (expected ISO 8601 such as 2017-02-07 or 2017-02-07T10:30:00-05:00, "
            + "RFC 2822 such as Tue, 07 Feb 2017 10:30:00 -0500, or epoch seconds)")
    }
}

/// Unix time in seconds written as digits.
enum EpochSeconds {
    /// The seconds, nil when `bytes` is not a number; throws for numbers of the wrong length.
    static func parse(_ bytes: [UInt8], text: String) throws(ArticleDateError) -> Int64? {
        var position = 0
        let negative = bytes.first == UInt8(ascii: "-")
        if negative { position = 1 }
        let start = position
        while position < bytes.count, bytes[position] >= 0x30, bytes[position] <= 0x39 { position += 1 }
        let digitCount = position - start
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            position += 1
            let fraction = position
            while position < bytes.count, bytes[position] >= 0x30, bytes[position] <= 0x39 { position += 1 }
            guard position > fraction else { return nil }
        }
        guard digitCount > 0, position == bytes.count else { return nil }
        guard digitCount <= 11 else {
            throw ArticleDateError("\"\(text)\" has \(digitCount) digits: epoch milliseconds or microseconds? "
                + "dates as numbers must be epoch seconds (9 to 11 digits)")
        }
        guard digitCount >= 9 else {
            throw ArticleDateError("\"\(text)\" is too short for epoch seconds (9 to 11 digits, 1973 onwards) "
                + "and is not an ISO 8601 date (YYYY-MM-DD)")
        }
        var value: Int64 = 0
        for byte in bytes[start..<start + digitCount] { value = value * 10 + Int64(byte - 0x30) }
        return negative ? -value : value
    }
}

/// RFC 2822 section 3.3 date-time, with the obsolete year and zone forms of section 4.3.
private struct RFC2822Parser {
    let bytes: [UInt8]
    var position = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    static let weekdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    static let zones: [String: Int] = [
        "ut": 0, "gmt": 0, "z": 0, "est": -5, "edt": -4, "cst": -6, "cdt": -5, "mst": -7, "mdt": -6, "pst": -8, "pdt": -7,
    ]

    mutating func parse() -> ParsedDateTime? {
        skipSpaces()
        if let word = peekWord(), Self.weekdays.contains(word.lowercased()) {
            position += word.utf8.count
            skipSpaces()
            guard expect(UInt8(ascii: ",")) else { return nil }
            skipSpaces()
        }
        guard let day = number(maxDigits: 2), (1...31).contains(day), skipSpaces() else { return nil }
        guard let monthName = peekWord(), let monthIndex = Self.months.firstIndex(of: monthName.lowercased()) else { return nil }
        position += monthName.utf8.count
        guard skipSpaces() else { return nil }
        let yearStart = position
        guard var year = number(maxDigits: 4) else { return nil }
        switch position - yearStart {
        case 1: return nil
        case 2: year += year < 50 ? 2000 : 1900
        case 3: year += 1900
        default: break
        }
        let month = Int64(monthIndex + 1)
        guard day <= CivilCalendar.daysInMonth(year: year, month: month), skipSpaces() else { return nil }
        guard let hour = number(maxDigits: 2, exactly: true), expect(UInt8(ascii: ":")),
              let minute = number(maxDigits: 2, exactly: true) else { return nil }
        var second: Int64 = 0
        if expect(UInt8(ascii: ":")) {
            guard let value = number(maxDigits: 2, exactly: true) else { return nil }
            second = value
        }
        guard hour <= 23, minute <= 59, second <= 60, skipSpaces() else { return nil }
        let offset: Int
        if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") {
            let negative = bytes[position] == UInt8(ascii: "-")
            position += 1
            guard let hours = number(maxDigits: 2, exactly: true), let minutes = number(maxDigits: 2, exactly: true),
                  hours <= 23, minutes <= 59 else { return nil }
            offset = Int(hours * 3600 + minutes * 60) * (negative ? -1 : 1)
        } else {
            guard let word = peekWord(), let hours = Self.zones[word.lowercased()] else { return nil }
            position += word.utf8.count
            offset = hours * 3600
        }
        skipSpaces()
        // A trailing comment such as "(EST)" is allowed.
        if position < bytes.count, bytes[position] == UInt8(ascii: "("), bytes.last == UInt8(ascii: ")") { position = bytes.count }
        guard position == bytes.count else { return nil }
        let days = CivilCalendar.days(year: year, month: month, day: day)
        return ParsedDateTime(localSeconds: days * 86_400 + hour * 3600 + minute * 60 + second, hasTime: true, offset: offset)
    }

    /// Skips spaces and tabs; whether there were any.
    @discardableResult
    private mutating func skipSpaces() -> Bool {
        let start = position
        while position < bytes.count, bytes[position] == 0x20 || bytes[position] == 0x09 { position += 1 }
        return position > start
    }

    private func peekWord() -> String? {
        var end = position
        while end < bytes.count, (bytes[end] | 0x20) >= UInt8(ascii: "a"), (bytes[end] | 0x20) <= UInt8(ascii: "z") { end += 1 }
        return end > position ? String(decoding: bytes[position..<end], as: UTF8.self) : nil
    }

    /// 1 to `maxDigits` digits (exactly `maxDigits` when `exactly`).
    private mutating func number(maxDigits: Int, exactly: Bool = false) -> Int64? {
        let start = position
        var value: Int64 = 0
        while position < bytes.count, position - start < maxDigits, bytes[position] >= 0x30, bytes[position] <= 0x39 {
            value = value * 10 + Int64(bytes[position] - 0x30)
            position += 1
        }
        let count = position - start
        guard count > 0, !exactly || count == maxDigits else { return nil }
        return value
    }

    private mutating func expect(_ byte: UInt8) -> Bool {
        guard position < bytes.count, bytes[position] == byte else { return false }
        position += 1
        return true
    }
}
