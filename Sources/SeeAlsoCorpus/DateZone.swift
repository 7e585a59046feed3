import Foundation

/// A time zone for dates: a fixed UTC offset, or an IANA zone (`Europe/Rome`) whose offset follows its
/// daylight-saving rules (Foundation's `TimeZone`, from the system's tz database).
///
/// Used for input times written without an offset (`--time-zone` of the commands that read input) and
/// for showing dates in one zone instead of each article's own offset.
public struct DateZone: Sendable, Hashable, CustomStringConvertible {
    private enum Rule: Sendable, Hashable {
        case fixed(Int)
        case named(TimeZone)
    }

    private let rule: Rule

    public static let utc = DateZone(rule: .fixed(0))

    private init(rule: Rule) { self.rule = rule }

    /// A fixed offset in seconds (local time − UTC), at most 24 hours either way.
    public init(offsetSeconds: Int) {
        precondition(abs(offsetSeconds) < 86_400, "DateZone: offset \(offsetSeconds) s is a day or more")
        rule = .fixed(offsetSeconds)
    }

    /// Parses `UTC`, `GMT`, `Z`, `±HH:MM`, `±HHMM`, `±HH`, or an IANA zone name such as `America/New_York`.
    /// Throws a message naming the text when it is none of these.
    public init(parsing text: String) throws(ArticleDateError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if ["utc", "gmt", "z"].contains(trimmed.lowercased()) {
            self = .utc
            return
        }
        if let sign = trimmed.first, sign == "+" || sign == "-" {
            let digits = trimmed.dropFirst().filter { $0 != ":" }
            guard digits.count == 2 || digits.count == 4, digits.allSatisfy(\.isASCII), let value = Int(digits),
                  value / (digits.count == 4 ? 100 : 1) <= 23, digits.count == 2 || value % 100 <= 59 else {
                throw ArticleDateError("time zone \"\(text)\" is not an offset ±HH:MM (hours 00–23, minutes 00–59)")
            }
            let seconds = digits.count == 4 ? value / 100 * 3600 + value % 100 * 60 : value * 3600
            self.init(offsetSeconds: sign == "-" ? -seconds : seconds)
            return
        }
        guard !trimmed.isEmpty, let zone = TimeZone(identifier: trimmed) else {
            throw ArticleDateError("unknown time zone \"\(text)\" (UTC, an offset such as +05:30, or an IANA name such as Europe/Rome)")
        }
        self.init(rule: .named(zone))
    }

    /// The offset (local − UTC, seconds) at the instant `secondsSinceEpoch`.
    public func offset(at secondsSinceEpoch: Int64) -> Int {
        switch rule {
        case .fixed(let seconds): return seconds
        case .named(let zone): return zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(secondsSinceEpoch)))
        }
    }

    /// The offset of the wall-clock time `localSeconds` (seconds since 1970 read as local time). A time
    /// skipped by a daylight-saving change takes the offset before the change; a repeated one the first.
    public func offset(forLocal localSeconds: Int64) -> Int {
        switch rule {
        case .fixed(let seconds): return seconds
        case .named:
            let guess = offset(at: localSeconds)
            let corrected = offset(at: localSeconds - Int64(guess))
            return corrected == guess ? guess : offset(at: localSeconds - Int64(corrected)) == corrected ? corrected : guess
        }
    }

    /// `UTC`, `+05:30`, or the IANA name.
    public var description: String {
        switch rule {
        case .fixed(let seconds): return seconds == 0 ? "UTC" : Self.offsetText(seconds)
        case .named(let zone): return zone.identifier
        }
    }

    /// `Z` for 0, else `±HH:MM` (and `:SS` when the offset has seconds).
    static func offsetText(_ seconds: Int) -> String {
        guard seconds != 0 else { return "Z" }
        let magnitude = abs(seconds)
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        var text = (seconds < 0 ? "-" : "+") + two(magnitude / 3600) + ":" + two(magnitude / 60 % 60)
        if magnitude % 60 != 0 { text += ":" + two(magnitude % 60) }
        return text
    }
}
