import Foundation

/// Renders a "See also" list as the box under a news article (what `seealso related` prints).
package struct RelatedBox {
    let engine: SeeAlsoEngine
    let dateFormat: String
    private let formatter: DateFormatter

    /// `dateFormat` is `iso` or a date pattern such as "d MMMM yyyy"; one that shows no date (an unknown
    /// letter, literals alone) is refused with `IndexError.invalid` naming `--date-format`.
    package init(engine: SeeAlsoEngine, dateFormat: String) throws {
        try Self.checkDateFormat(dateFormat)
        self.engine = engine
        self.dateFormat = dateFormat
        formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = dateFormat
    }

    /// Throws unless `pattern` is `iso` or a date pattern that shows two different dates differently
    /// (an unknown letter or a pattern of literals alone would print blank or constant dates).
    package static func checkDateFormat(_ pattern: String) throws {
        guard pattern != "iso" else { return }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = pattern
        // 2017-02-08 and 2019-11-23: every field (day, month, year, weekday) differs.
        let shown = [1_486_512_000.0, 1_574_467_200.0].map { formatter.string(from: Date(timeIntervalSince1970: $0)) }
        guard !shown[0].trimmingCharacters(in: .whitespaces).isEmpty, shown[0] != shown[1] else {
            throw IndexError.invalid("--date-format \"\(pattern)\" shows no date (it printed \"\(shown[0])\"); "
                                     + "use iso or a pattern such as \"d MMMM yyyy\" or \"yyyy-MM-dd\"")
        }
    }

    /// The date at its own UTC offset (a date without a time on its UTC day), as `dateFormat` says.
    func format(_ date: ArticleDate?) -> String? {
        guard let date else { return nil }
        if dateFormat == "iso" { return date.description }
        formatter.timeZone = TimeZone(secondsFromGMT: date.utcOffsetSeconds)
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(date.secondsSinceEpoch)))
    }

    /// "topic 3 (court, judge, trial) · story 12 (5 articles)", when the index stores clusters.
    func clusterNote(topic: Int?, story: Int?) -> String? {
        var parts: [String] = []
        if let topic {
            let terms = engine.topic(topic)?.topTerms.prefix(3).joined(separator: ", ").terminalSafe ?? ""
            parts.append("topic \(topic)" + (terms.isEmpty ? "" : " (\(terms))"))
        }
        if let story, let description = engine.story(story) { parts.append("story \(story) (\(description.size) articles)") }
        return parts.isEmpty ? nil : parts.joined(separator: " · ")
    }

    /// The query's title, then "See also" and each item's title with, on the next line, its date (and
    /// its topic and story when the index has clusters).
    package func box(_ list: RelatedList) -> String {
        var lines = [(list.title.isEmpty ? list.id : list.title).terminalSafe]
        if let note = clusterNote(topic: list.topic, story: list.story) { lines.append(note) }
        lines += ["", "See also"]
        if list.related.isEmpty { lines.append("  (no related articles)") }
        for item in list.related {
            lines.append("  " + (item.title.isEmpty ? item.id : item.title).terminalSafe)
            var detail = format(item.date) ?? "undated"
            if let folded = item.folded { detail += " · also \(folded.count) near-identical" }
            if let note = clusterNote(topic: item.topic, story: item.story) { detail += " · " + note }
            lines.append("  " + detail)
            if let explanation = item.explain {
                let terms = explanation.map { "\($0.term.terminalSafe) \(String(format: "%.3f", $0.contribution))" }
                lines.append("    why: " + terms.joined(separator: ", ") + String(format: " (cosine %.3f)", item.similarity))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

extension RelatedList {
    /// The list with the query's and every item's date shown in `zone` (unchanged when nil).
    package func shown(in zone: DateZone?) -> RelatedList {
        guard let zone else { return self }
        var list = self
        list.date = date?.shown(in: zone)
        for index in list.related.indices { list.related[index].date = list.related[index].date?.shown(in: zone) }
        return list
    }
}
