import SeeAlsoSupport

/// The quality of an index's lists and stored clusters against a gold field.
///
/// Encodes (JSON) as `gold` and the list metrics' fields at the top level (`queryCount`, `precisionAt1`,
/// `precisionAtK`, `recallAtK`, `meanReciprocalRank`, `k`) plus `topics` and `stories` objects (the
/// cluster metrics and the clustering's `method`) when clusters are stored.
public struct Evaluation: Sendable, Encodable {
    /// One stored clustering's agreement with the gold field.
    public struct Clusters: Sendable, Encodable {
        public var method: String
        public var metrics: ClusterMetrics

        public func encode(to encoder: any Encoder) throws {
            try metrics.encode(to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(method, forKey: .method)
        }

        enum CodingKeys: String, CodingKey { case method }
    }

    public var gold: GoldField
    public var lists: RankingMetrics
    public var topics: Clusters?
    public var stories: Clusters?

    public func encode(to encoder: any Encoder) throws {
        try lists.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(gold, forKey: .gold)
        try container.encodeIfPresent(topics, forKey: .topics)
        try container.encodeIfPresent(stories, forKey: .stories)
    }

    enum CodingKeys: String, CodingKey { case gold, topics, stories }
}

/// recall@m of stored lists against exact lists on a sample of articles.
public struct RecallMeasurement: Sendable, Codable, Equatable {
    public var recall: Double
    /// Articles measured (sampled articles with at least one positive neighbour).
    public var rows: Int
    /// The cut-off m.
    public var at: Int

    /// JSON keys as in build and write reports.
    enum CodingKeys: String, CodingKey {
        case recall = "measuredRecall", rows = "recallArticleCount", at = "recallAt"
    }
}

extension SeeAlsoEngine {
    /// P@1, P@k, recall@k and MRR of the stored lists against `gold` (an item is relevant when it
    /// shares the query's gold value), and NMI, ARI, V-measure, purity and B-cubed of the stored topics
    /// and stories. `filters` leave items out of the lists as `related` does (the page's box with them).
    /// Throws when `k` exceeds the stored list length or no live article has a `gold` value.
    public func evaluate(gold: GoldField, k: Int = 10, filters: [FieldFilter] = []) throws -> Evaluation {
        guard k >= 1, k <= index.k else {
            throw IndexError.invalid("-k \(k) must be between 1 and the index's stored list length \(index.k)")
        }
        // Deleted rows are in no list; they are left out of the queries and the cluster scores.
        let live = (0..<index.articleCount).filter { !index.isDeleted($0) }
        let goldValues = (0..<index.articleCount).map { index.isDeleted($0) ? nil : index.gold(gold, $0) }
        guard goldValues.contains(where: { $0 != nil }) else {
            throw IndexError.invalid("\(index.path): no article has a value in the gold field '\(gold.rawValue)', so there is nothing to measure against; "
                                     + "build from input with that field, or choose the other gold field (--gold label|event)")
        }
        let lists = (0..<index.articleCount).map { row in
            index.storedList(row).map(\.row).filter { filters.isEmpty || index.passes(filters, row: $0) }
        }
        var evaluation = Evaluation(gold: gold, lists: RankingMetrics.evaluate(lists: lists, gold: goldValues, k: k))
        let liveGold = live.map { goldValues[$0] }
        if let topics = index.clusters?.topics {
            let assignments = index.storedAssignments(.topics)
            evaluation.topics = .init(method: topics.method, metrics: ClusterMetrics.evaluate(gold: liveGold, assignments: live.map { assignments[$0] }))
        }
        if let stories = index.clusters?.stories {
            let assignments = index.storedAssignments(.stories)
            evaluation.stories = .init(method: stories.method, metrics: ClusterMetrics.evaluate(gold: liveGold, assignments: live.map { assignments[$0] }))
        }
        return evaluation
    }

    /// recall@`at` of the stored lists against exact lists (computed here by postings accumulation),
    /// on `sampleSize` articles drawn by a seeded generator from the rows from `firstRow` on (e.g. the
    /// articles an `add` appended); `at` must not exceed the stored list length. Cost: one exact query per
    /// sampled article, O(Σ df of its terms + n).
    public func measureRecall(sampleSize: Int, firstRow: Int = 0, at: Int = 10) throws -> RecallMeasurement {
        guard sampleSize >= 1, (0..<index.articleCount).contains(firstRow) else {
            throw IndexError.invalid("recall: need a sample of at least 1 article from a row in 0..<\(index.articleCount), got \(sampleSize) from \(firstRow)")
        }
        guard (1...index.k).contains(at) else {
            throw IndexError.invalid("recall@\(at): the cut-off must be between 1 and the index's stored list length \(index.k)")
        }
        let measured = ExactSearch(storage: index.rowStorage, deleted: index.deleted)
            .recall(of: index.lists(), at: at, sampleSize: sampleSize, rows: firstRow..<index.articleCount)
        return RecallMeasurement(recall: measured.recall, rows: measured.rows, at: at)
    }
}
