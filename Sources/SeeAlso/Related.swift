import Foundation
import SeeAlsoSupport

/// A "See also" list: the query article and its related articles, best first.
///
/// Encodes (JSON) as `{"id", "title", "date", "related": [...], "copies", "topic", "topicTerms",
/// "story", "storySize"}`, absent fields left out; `json()` gives the line `seealso related --format json`
/// prints.
public struct RelatedList: Sendable, Codable, Equatable {
    public var id: String
    public var title: String
    public var date: ArticleDate?
    public var related: [RelatedArticle]
    /// Articles at cosine ≥ the duplicate threshold to the query: copies of it, left out of the list.
    public var copies: [String]?
    /// The query's topic and story when the index stores clusters (stories of more than one article).
    public var topic: Int?
    public var topicTerms: [String]?
    public var story: Int?
    public var storySize: Int?

    /// One line of compact JSON with sorted keys.
    public func json() -> String {
        var text = JSONText()
        text.write(self)
        return text.string
    }
}

/// One item of a "See also" list.
public struct RelatedArticle: Sendable, Codable, Equatable {
    public var id: String
    public var title: String
    public var date: ArticleDate?
    public var url: String?
    /// The ranking score: the cosine with time decay when a half-life is set.
    public var score: Float
    /// Exact TF-IDF cosine with the query.
    public var similarity: Float
    /// Near-identical articles folded into this one (later copies of the same story), earliest first.
    public var folded: [String]?
    /// The shared terms that contribute most to the cosine (with `RelatedOptions.explainTerms`).
    public var explain: [TermContribution]?
    public var topic: Int?
    public var story: Int?
}

/// A shared term and its share q_t · d_t of a cosine.
public struct TermContribution: Sendable, Codable, Equatable {
    public var term: String
    public var contribution: Float
}

extension SeeAlsoEngine {
    /// The list of the indexed article `id` (itself excluded), scored exactly at query time so that
    /// every filter of `options` applies to the whole archive. Cost O(Σ_{t ∈ article} df(t)) for the
    /// scores plus O(n) for the selection; throws `IndexError.unknownArticle` for an unknown id.
    public func related(toArticleWithID id: String, options: RelatedOptions = RelatedOptions()) throws -> RelatedList {
        guard let row = index.row(ofId: id) else { throw IndexError.unknownArticle(id: id) }
        try check(options, query: index.metadata(row))
        return list(query: index.metadata(row), row: row, RelatedSearch(index: index).related(toRow: row, options: options))
    }

    /// The list of the indexed article `id` from its stored list (the k neighbours computed when it
    /// was written, kept current by every write): the filters of `options` apply to those k only, so the
    /// list may be shorter than `related(toArticleWithID:)`'s, and on a partitioned index it is the
    /// build's approximation. O(k) — what a page view needs. Throws `IndexError.unknownArticle`, and
    /// `IndexError.invalid` when `options.k` exceeds the stored list length.
    public func storedRelated(toArticleWithID id: String, options: RelatedOptions = RelatedOptions()) throws -> RelatedList {
        guard let row = index.row(ofId: id) else { throw IndexError.unknownArticle(id: id) }
        try check(options, query: index.metadata(row), stored: true)
        return list(query: index.metadata(row), row: row, RelatedSearch(index: index).relatedFromStoredList(row: row, options: options))
    }

    /// The list of a new text (not in the index), vectorized with the index's frozen model; its `date`
    /// places it in time for the date filters and decay.
    public func related(to article: Article, options: RelatedOptions = RelatedOptions()) throws -> RelatedList {
        try check(options, query: ArticleMetadata(article))
        var vectorizer = try QueryVectorizer(index: index)
        return related(to: article, vectorizer: &vectorizer, options: options)
    }

    /// The lists of many new texts, answered in parallel on the worker threads (one analyzer each), in
    /// input order.
    public func related(to articles: [Article], options: RelatedOptions = RelatedOptions()) throws -> [RelatedList] {
        for (position, article) in articles.enumerated() {
            do {
                try check(options, query: ArticleMetadata(article))
            } catch {
                throw IndexError.invalid("articles[\(position)]: \(error)")
            }
        }
        let results = Locked([RelatedList?](repeating: nil, count: articles.count))
        try Parallelism.forEachRange(articles.count) { range, _ in
            var vectorizer = try QueryVectorizer(index: index)
            for position in range {
                let answer = related(to: articles[position], vectorizer: &vectorizer, options: options)
                results.withLock { $0[position] = answer }
            }
        }
        return results.value.map { $0! }
    }

    private func related(to article: Article, vectorizer: inout QueryVectorizer, options: RelatedOptions) -> RelatedList {
        let result = RelatedSearch(index: index).related(to: vectorizer.vector(for: article), date: article.date, options: options)
        return list(query: ArticleMetadata(article), row: nil, result)
    }

    /// Every article's list from the stored lists (no query-time scoring; the same filters, applied to
    /// the stored k neighbours only, so a list may hold fewer items than `related(toArticleWithID:)`),
    /// in index order (deleted articles have none). O(n · k) plus the filters. Throws `IndexError.invalid`
    /// for options out of range or a `k` above the stored list length; an undated article's list is empty
    /// under a direction or window.
    public func forEachStoredList(options: RelatedOptions = RelatedOptions(), progress: any ProgressReporter = SilentProgress(),
                                  _ body: (RelatedList) throws -> Void) throws {
        try check(options, query: nil, stored: true)
        let search = RelatedSearch(index: index)
        let task = progress.task("related lists", total: index.liveArticleCount)
        for row in 0..<index.articleCount where !index.isDeleted(row) {
            try body(list(query: index.metadata(row), row: row, search.relatedFromStoredList(row: row, options: options)))
            task.advance()
        }
        task.finish()
    }

    /// Every stored list (`forEachStoredList`) as one JSON document, `{"lists":[...]}` (the shape of
    /// `POST /v1/related/batch`) and a newline, handed to `write` list by list, so it is never held
    /// whole; dates shown in `zone` when given. Refused options write nothing.
    package func writeStoredListsDocument(options: RelatedOptions, zone: DateZone?, progress: any ProgressReporter,
                                          _ write: (String) -> Void) throws {
        var opened = false
        try forEachStoredList(options: options, progress: progress) { list in
            write((opened ? "," : "{\"lists\":[") + list.shown(in: zone).json())
            opened = true
        }
        write(opened ? "]}\n" : "{\"lists\":[]}\n")
    }

    /// Refuses what would otherwise answer wrongly in silence: options out of range, more items than the
    /// stored lists hold, a direction or window for an undated query.
    private func check(_ options: RelatedOptions, query: ArticleMetadata?, stored: Bool = false) throws {
        try options.validate()
        if stored && options.k > index.k {
            throw IndexError.invalid("k \(options.k) is above the index's stored list length \(index.k): stored lists hold at most "
                                     + "\(index.k) items; ask for fewer, score the archive at query time (not stored), or rebuild with --k \(options.k)")
        }
        if let query, options.needsQueryDate, query.date == nil {
            throw IndexError.invalid("the query \"\(query.id)\" has no date, so before/after/within cannot place it in time; "
                                     + "give it a date (--date with --text-file, \"date\" in JSON) or leave those options out")
        }
    }

    private func list(query: ArticleMetadata, row: Int?, _ result: RelatedResult) -> RelatedList {
        let items = result.items.map { item in
            RelatedArticle(id: index.id(item.row), title: index.title(item.row), date: index.date(item.row), url: index.url(item.row),
                           score: item.score, similarity: item.similarity,
                           folded: item.folded.isEmpty ? nil : item.folded.map(index.id),
                           explain: item.explanation.isEmpty ? nil : item.explanation.map { TermContribution(term: $0.term, contribution: $0.contribution) },
                           topic: index.topic(item.row), story: describedStory(item.row))
        }
        var answer = RelatedList(id: query.id, title: query.title, date: query.date, related: items,
                                 copies: result.copiesOfQuery.isEmpty ? nil : result.copiesOfQuery.map(index.id))
        if let row {
            answer.topic = index.topic(row)
            answer.topicTerms = answer.topic.flatMap { topic($0)?.topTerms }
            answer.story = describedStory(row)
            answer.storySize = answer.story.flatMap { story($0)?.size }
        }
        return answer
    }

    /// The story of a row when it has more than one article (a described story).
    func describedStory(_ row: Int) -> Int? {
        guard let id = index.story(row), story(id) != nil else { return nil }
        return id
    }
}

/// Compact JSON with sorted keys and unescaped slashes: the one encoding of SeeAlso's JSON output.
public enum JSONLine {
    public static func encode(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(value)) ?? Data(), as: UTF8.self)
    }
}
