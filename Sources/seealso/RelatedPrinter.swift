import Foundation
import SeeAlsoCorpus
import SeeAlsoIndex

/// Renders "See also" results as a text box (like the box under a news article) or as JSON.
struct RelatedPrinter {
    let index: Index
    let dateFormat: String
    private let formatter: DateFormatter

    init(index: Index, dateFormat: String) {
        self.index = index
        self.dateFormat = dateFormat
        formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = dateFormat
    }

    func format(_ date: ArticleDate?) -> String? {
        guard let date else { return nil }
        if dateFormat == "iso" { return date.description }
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(date.secondsSinceEpoch)))
    }

    /// "See also", then each item's title and, on the next line, its date.
    func box(query: ArticleMetadata, result: RelatedResult) -> String {
        var lines = ["\(query.title.isEmpty ? query.id : query.title)", "", "See also"]
        if result.items.isEmpty { lines.append("  (no related articles)") }
        for item in result.items {
            let title = index.title(item.row)
            lines.append("  " + (title.isEmpty ? index.id(item.row) : title))
            var detail = format(index.date(item.row)) ?? "undated"
            if !item.folded.isEmpty { detail += " · also \(item.folded.count) near-identical" }
            lines.append("  " + detail)
            if !item.explanation.isEmpty {
                let terms = item.explanation.map { "\($0.term) \(String(format: "%.3f", $0.contribution))" }
                lines.append("    why: " + terms.joined(separator: ", ") + String(format: " (cosine %.3f)", item.similarity))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    struct JSONItem: Encodable {
        var id: String
        var title: String
        var date: String?
        var url: String?
        var score: Float
        var similarity: Float
        var folded: [String]?
        var explain: [JSONTerm]?
    }

    struct JSONTerm: Encodable {
        var term: String
        var contribution: Float
    }

    struct JSONAnswer: Encodable {
        var id: String
        var title: String
        var date: String?
        var related: [JSONItem]
        var copies: [String]?
    }

    /// `{"id": …, "title": …, "related": [{"id", "title", "date", "score", …}, …]}` on one line.
    func json(query: ArticleMetadata, result: RelatedResult) -> String {
        let items = result.items.map { item in
            JSONItem(id: index.id(item.row), title: index.title(item.row), date: index.date(item.row)?.description,
                     url: index.url(item.row), score: item.score, similarity: item.similarity,
                     folded: item.folded.isEmpty ? nil : item.folded.map { index.id($0) },
                     explain: item.explanation.isEmpty ? nil : item.explanation.map { JSONTerm(term: $0.term, contribution: $0.contribution) })
        }
        let answer = JSONAnswer(id: query.id, title: query.title, date: query.date?.description, related: items,
                                copies: result.copiesOfQuery.isEmpty ? nil : result.copiesOfQuery.map { index.id($0) })
        return encodeJSON(answer)
    }
}
