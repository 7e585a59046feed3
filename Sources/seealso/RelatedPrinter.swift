import Foundation
import SeeAlsoCorpus
import SeeAlsoIndex

/// Renders "See also" results as a text box (like the box under a news article) or as JSON.
struct RelatedPrinter {
    let index: Index
    let dateFormat: String
    private let formatter: DateFormatter
    /// Stored topic and story descriptions by cluster id (stories of one article have none).
    private let topics: [Int: IndexClusters.Description]
    private let stories: [Int: IndexClusters.Description]

    init(index: Index, dateFormat: String) {
        self.index = index
        self.dateFormat = dateFormat
        topics = Dictionary((index.clusters?.topics?.clusters ?? []).map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        stories = Dictionary((index.clusters?.stories?.clusters ?? []).map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
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

    /// "topic 3 (court, judge, trial)" and "story 12 (5 articles)" for a row, when stored.
    func clusterNote(_ row: Int) -> String? {
        var parts: [String] = []
        if let topic = index.topic(row) {
            let terms = topics[topic]?.topTerms.prefix(3).joined(separator: ", ") ?? ""
            parts.append("topic \(topic)" + (terms.isEmpty ? "" : " (\(terms))"))
        }
        if let story = index.story(row), let description = stories[story] {
            parts.append("story \(story) (\(description.size) articles)")
        }
        return parts.isEmpty ? nil : parts.joined(separator: " · ")
    }

    /// "See also", then each item's title and, on the next line, its date (and its topic and story when
    /// the index has clusters).
    func box(query: ArticleMetadata, result: RelatedResult) -> String {
        var lines = ["\(query.title.isEmpty ? query.id : query.title)"]
        if let row = index.row(ofId: query.id), let note = clusterNote(row) { lines.append(note) }
        lines += ["", "See also"]
        if result.items.isEmpty { lines.append("  (no related articles)") }
        for item in result.items {
            let title = index.title(item.row)
            lines.append("  " + (title.isEmpty ? index.id(item.row) : title))
            var detail = format(index.date(item.row)) ?? "undated"
            if !item.folded.isEmpty { detail += " · also \(item.folded.count) near-identical" }
            if let note = clusterNote(item.row) { detail += " · " + note }
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
        var topic: Int?
        var story: Int?
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
        var topic: Int?
        var topicTerms: [String]?
        var story: Int?
        var storySize: Int?
    }

    /// The story of a row when it has more than one article (a described story).
    func storyId(_ row: Int) -> Int? {
        guard let story = index.story(row), stories[story] != nil else { return nil }
        return story
    }

    /// `{"id": …, "title": …, "related": [{"id", "title", "date", "score", …}, …]}` on one line.
    func json(query: ArticleMetadata, result: RelatedResult) -> String {
        let items = result.items.map { item in
            JSONItem(id: index.id(item.row), title: index.title(item.row), date: index.date(item.row)?.description,
                     url: index.url(item.row), score: item.score, similarity: item.similarity,
                     folded: item.folded.isEmpty ? nil : item.folded.map { index.id($0) },
                     explain: item.explanation.isEmpty ? nil : item.explanation.map { JSONTerm(term: $0.term, contribution: $0.contribution) },
                     topic: index.topic(item.row), story: storyId(item.row))
        }
        var answer = JSONAnswer(id: query.id, title: query.title, date: query.date?.description, related: items,
                                copies: result.copiesOfQuery.isEmpty ? nil : result.copiesOfQuery.map { index.id($0) })
        if let row = index.row(ofId: query.id) {
            answer.topic = index.topic(row)
            answer.topicTerms = answer.topic.flatMap { topics[$0]?.topTerms }
            answer.story = storyId(row)
            answer.storySize = answer.story.flatMap { stories[$0]?.size }
        }
        return encodeJSON(answer)
    }
}
