/// A publication date or date-time: the instant as seconds since 1970-01-01T00:00:00Z, and the UTC
/// offset it was published at.
///
/// Order, windows and decay use the instant alone; `utcOffsetSeconds` only decides how it is shown
/// (`description` prints the wall-clock time of that offset). ISO 8601 text is `YYYY-MM-DD`, or
/// `YYYY-MM-DDTHH:MM[:SS[.fraction]]` with an optional `Z` or `±HH:MM` / `±HHMM` offset (a space may
/// replace `T`; no offset means UTC here, or the zone given to `init(parsing:assuming:)`). Fractions of a
/// second are dropped. `hasTime` remembers whether a time was given, so output keeps the input's precision;
/// a date without a time has offset 0.
public struct ArticleDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var secondsSinceEpoch: Int64
    public var hasTime: Bool
    /// Local time − UTC, in seconds (e.g. −18 000 for `-05:00`); 0 for `Z` and for dates without a time.
    public var utcOffsetSeconds: Int

    public init(secondsSinceEpoch: Int64, hasTime: Bool, utcOffsetSeconds: Int = 0) {
        self.secondsSinceEpoch = secondsSinceEpoch
        self.hasTime = hasTime
        self.utcOffsetSeconds = hasTime ? utcOffsetSeconds : 0
    }

    public static func < (lhs: ArticleDate, rhs: ArticleDate) -> Bool {
        lhs.secondsSinceEpoch < rhs.secondsSinceEpoch
    }

    /// Parses ISO 8601 text (a time without an offset is UTC); nil when it is not a valid date
    /// (month 13, February 30, …).
    public init?(iso text: some StringProtocol) {
        var bytes = Array(text.utf8)
        while let last = bytes.last, last == 0x20 { bytes.removeLast() }
        var parser = ISODateParser(bytes)
        guard let parsed = parser.parse() else { return nil }
        self = parsed.resolved(assuming: .utc)
    }

    /// Days since 1970-01-01 of the UTC calendar day.
    public var dayNumber: Int64 { Self.floorDays(secondsSinceEpoch) }

    /// The same instant shown at `zone`'s offset for it (dates without a time stay as they are).
    public func shown(in zone: DateZone) -> ArticleDate {
        guard hasTime else { return self }
        return ArticleDate(secondsSinceEpoch: secondsSinceEpoch, hasTime: true, utcOffsetSeconds: zone.offset(at: secondsSinceEpoch))
    }

    /// `YYYY-MM-DD`, or the wall-clock time at the date's offset when a time was given:
    /// `YYYY-MM-DDTHH:MM:SSZ` at offset 0, else `YYYY-MM-DDTHH:MM:SS±HH:MM` (`:SS` appended to the
    /// offset in the rare case it has seconds).
    public var description: String {
        let local = secondsSinceEpoch + Int64(utcOffsetSeconds)
        let days = Self.floorDays(local)
        let (year, month, day) = CivilCalendar.date(fromDays: days)
        var text = pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2)
        if hasTime {
            let secondOfDay = local - days * 86_400
            text += "T" + pad(secondOfDay / 3600, 2) + ":" + pad(secondOfDay / 60 % 60, 2) + ":" + pad(secondOfDay % 60, 2)
            text += DateZone.offsetText(utcOffsetSeconds)
        }
        return text
    }

    private static func floorDays(_ seconds: Int64) -> Int64 { seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400 }

    private func pad(_ value: some BinaryInteger, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}

/// Proleptic Gregorian calendar arithmetic (Howard Hinnant's days-from-civil algorithm).
enum CivilCalendar {
    static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func date(fromDays days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    static func daysInMonth(year: Int64, month: Int64) -> Int64 {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}

/// A parsed date before its zone is known: the wall-clock seconds since 1970 and the offset written
/// in the text, if any.
struct ParsedDateTime {
    var localSeconds: Int64
    var hasTime: Bool
    var offset: Int?

    /// The date, taking a time without an offset as wall-clock time in `zone`.
    func resolved(assuming zone: DateZone) -> ArticleDate {
        guard hasTime else { return ArticleDate(secondsSinceEpoch: localSeconds, hasTime: false) }
        let offset = offset ?? zone.offset(forLocal: localSeconds)
        return ArticleDate(secondsSinceEpoch: localSeconds - Int64(offset), hasTime: true, utcOffsetSeconds: offset)
    }
}

struct ISODateParser {
    let bytes: [UInt8]
    var position = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func parse() -> ParsedDateTime? {
        guard let year = digits(4), expect(UInt8(ascii: "-")), let month = digits(2), expect(UInt8(ascii: "-")),
              let day = digits(2) else { return nil }
        guard (1...12).contains(month), day >= 1, day <= CivilCalendar.daysInMonth(year: year, month: month) else { return nil }
        let days = CivilCalendar.days(year: year, month: month, day: day)
        if position == bytes.count { return ParsedDateTime(localSeconds: days * 86_400, hasTime: false, offset: nil) }
        guard bytes[position] == UInt8(ascii: "T") || bytes[position] == UInt8(ascii: "t") || bytes[position] == 0x20 else { return nil }
        position += 1
        guard let hour = digits(2), expect(UInt8(ascii: ":")), let minute = digits(2) else { return nil }
        var second: Int64 = 0
        if expect(UInt8(ascii: ":")) {
            guard let value = digits(2) else { return nil }
            second = value
            if expect(UInt8(ascii: ".")) || expect(UInt8(ascii: ",")) {
                let start = position
                while position < bytes.count, isDigit(bytes[position]) { position += 1 }
                guard position > start else { return nil }
            }
        }
        guard hour <= 23, minute <= 59, second <= 60 else { return nil }
        var offset: Int64?
        if position < bytes.count {
            let sign = bytes[position]
            if sign == UInt8(ascii: "Z") || sign == UInt8(ascii: "z") {
                position += 1
                offset = 0
            } else if sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
                position += 1
                guard let offsetHours = digits(2) else { return nil }
                _ = expect(UInt8(ascii: ":"))
                guard let offsetMinutes = digits(2), offsetHours <= 23, offsetMinutes <= 59 else { return nil }
                offset = (offsetHours * 3600 + offsetMinutes * 60) * (sign == UInt8(ascii: "-") ? -1 : 1)
            } else {
                return nil
            }
        }
        guard position == bytes.count else { return nil }
        return ParsedDateTime(localSeconds: days * 86_400 + hour * 3600 + minute * 60 + second, hasTime: true, offset: offset.map(Int.init))
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    private mutating func digits(_ count: Int) -> Int64? {
        guard position + count <= bytes.count else { return nil }
        var value: Int64 = 0
        for offset in 0..<count {
            let byte = bytes[position + offset]
            guard isDigit(byte) else { return nil }
            value = value * 10 + Int64(byte - 0x30)
        }
        position += count
        return value
    }

    private mutating func expect(_ byte: UInt8) -> Bool {
        guard position < bytes.count, bytes[position] == byte else { return false }
        position += 1
        return true
    }
}

extension ArticleDate: Codable {
    /// Encoded as its ISO 8601 text (a date, or a date-time at its own offset); decoded from any
    /// text `init(parsing:)` reads.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            self = try ArticleDate(parsing: text)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }
}
