import Foundation
import SeeAlsoCorpus
import SeeAlsoSupport

/// A made-up news world: topics and stories, each with its own invented words. Articles drawn
/// from a story share its words, so stories form clusters of related articles.
package struct NewsWorld: Sendable {
    package let general: [String]
    package let topics: [[String]]
    /// stories[topic][story]
    package let stories: [[[String]]]
    /// First day (days since 1970) of each story.
    package let storyDays: [[Int64]]

    /// General words in several scripts, digits, an identifier and stop words, for `mixedScripts`.
    package static let mixedScriptWords = ["café", "naïve", "Müller", "東京", "ΟΔΟΣ", "data_2024", "42", "the", "and", "of"]

    /// - Parameter mixedScripts: the general vocabulary also holds `mixedScriptWords` (for analyzer and
    ///   vectorizer tests; the invented words are plain ASCII).
    package init(seed: UInt64, topicCount: Int = 6, storiesPerTopic: Int = 6, mixedScripts: Bool = false) {
        var random = SplitMix64(seed: seed)
        let syllables = ["ka", "zu", "mor", "tel", "vin", "qua", "rix", "po", "lem", "dar", "sif", "nup", "gro", "bel",
                         "tav", "xi", "wen", "jol", "fyr", "hub", "ost", "ul", "brek", "sna", "yol", "dri", "pex", "vom"]
        var used = Set<String>()
        func word() -> String {
            while true {
                let length = Int.random(in: 2...3, using: &random)
                let candidate = (0..<length).map { _ in syllables.randomElement(using: &random)! }.joined()
                if candidate.count >= 4, used.insert(candidate).inserted { return candidate }
            }
        }
        general = (0..<250).map { _ in word() } + (mixedScripts ? Self.mixedScriptWords : [])
        topics = (0..<topicCount).map { _ in (0..<40).map { _ in word() } }
        stories = (0..<topicCount).map { _ in (0..<storiesPerTopic).map { _ in (0..<12).map { _ in word() } } }
        let firstDay = Int64(16_436) // 2015-01-01
        storyDays = (0..<topicCount).map { _ in (0..<storiesPerTopic).map { _ in firstDay + Int64.random(in: 0..<1800, using: &random) } }
    }

    /// `count` articles with ids `prefix` + number (every 13th id has a non-ASCII prefix), titles
    /// (some empty), dates (some with a time, some absent), urls, labels (some empty), events and languages.
    package func articles(count: Int, seed: UInt64, idPrefix: String = "a", firstNumber: Int = 0) -> [Article] {
        var random = SplitMix64(seed: seed)
        var result: [Article] = []
        result.reserveCapacity(count)
        for number in firstNumber..<firstNumber + count {
            let topic = Int.random(in: 0..<topics.count, using: &random)
            let story = Int.random(in: 0..<stories[topic].count, using: &random)
            let storyWords = stories[topic][story]
            let topicWords = topics[topic]
            func draw() -> String {
                let u = Double.random(in: 0..<1, using: &random)
                if u < 0.45 { return storyWords.randomElement(using: &random)! }
                if u < 0.75 { return topicWords.randomElement(using: &random)! }
                return general.randomElement(using: &random)!
            }
            let title = random.chance(0.05) ? "" : (0..<Int.random(in: 3...6, using: &random)).map { _ in draw() }.joined(separator: " ").capitalized
            var body = ""
            let sentences = Int.random(in: 3...6, using: &random)
            for _ in 0..<sentences {
                let words = (0..<Int.random(in: 6...12, using: &random)).map { _ in draw() }
                body += words.joined(separator: " ").capitalized + ". "
            }
            var date: ArticleDate?
            let day = storyDays[topic][story] + Int64.random(in: 0..<25, using: &random)
            let dateKind = Double.random(in: 0..<1, using: &random)
            if dateKind < 0.6 {
                date = ArticleDate(secondsSinceEpoch: day * 86_400, hasTime: false)
            } else if dateKind < 0.92 {
                date = ArticleDate(secondsSinceEpoch: day * 86_400 + Int64.random(in: 0..<86_400, using: &random), hasTime: true)
            }
            let id = (number % 13 == 5 ? "é" : "") + idPrefix + String(number)
            let url: String? = random.chance(0.7) ? "https://news.example/\(topic)/\(number)?q=\"x\"" : nil
            let labelKind = Double.random(in: 0..<1, using: &random)
            let label: String? = labelKind < 0.85 ? "topic-\(topic)" : labelKind < 0.92 ? nil : ""
            let event: String? = random.chance(0.9) ? "story-\(topic)-\(story)" : nil
            let languageKind = Double.random(in: 0..<1, using: &random)
            let language: String? = languageKind < 0.8 ? "en" : languageKind < 0.9 ? nil : "it"
            result.append(Article(id: id, title: title, body: body, date: date, url: url, label: label, event: event, language: language))
        }
        return result
    }
}

/// `articles` as CSV with a header row: id, title, body and date, every text field quoted.
package func csvText(_ articles: [Article]) -> String {
    func quoted(_ text: String) -> String { "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
    return "id,title,body,date\n" + articles.map { [quoted($0.id), quoted($0.title), quoted($0.body), $0.date?.description ?? ""].joined(separator: ",") + "\n" }.joined()
}

/// Writes `articles` as JSON Lines (every present field, keys sorted) and returns the path.
@discardableResult
package func writeJSONL(_ articles: [Article], to path: String) throws -> String {
    var text = ""
    for article in articles {
        var object: [String: Any] = ["id": article.id, "title": article.title, "body": article.body]
        if let date = article.date { object["date"] = date.description }
        if let url = article.url { object["url"] = url }
        if let label = article.label { object["label"] = label }
        if let event = article.event { object["event"] = event }
        if let language = article.language { object["lang"] = language }
        for field in TaxonomyField.allCases where !article.taxonomy[field].isEmpty { object[field.rawValue] = article.taxonomy[field] }
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        text += String(decoding: data, as: UTF8.self) + "\n"
    }
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    return path
}

/// Reads the whole corpus at `path` (throws on any invalid record).
package func readArticles(_ path: String, _ options: CorpusOptions = CorpusOptions()) throws -> [Article] {
    try CorpusReader(path: path, options: options).readAll().articles
}
