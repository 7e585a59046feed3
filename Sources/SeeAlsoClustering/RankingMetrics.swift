/// Quality of related lists against gold groups (stories or topics): an item is relevant when it
/// shares the query's gold group. Queries whose group has no other member are skipped.
///
/// For a query q with ranked list L (self excluded) and R = |group(q)| − 1 relevant items:
/// - P@k = |relevant in L[0..<k]| / k (a missing item counts as not relevant);
/// - recall@k = |relevant in L[0..<k]| / min(k, R);
/// - MRR = mean of 1 / (rank of the first relevant item), 0 when none is listed.
/// Each figure is the mean over queries.
public struct RankingMetrics: Sendable, Codable, Equatable {
    public var queries: Int
    public var precisionAt1: Double
    public var precisionAtK: Double
    public var recallAtK: Double
    public var meanReciprocalRank: Double
    public var k: Int

    enum CodingKeys: String, CodingKey {
        case precisionAt1, precisionAtK, recallAtK, meanReciprocalRank, k
        case queries = "queryCount"
    }

    /// `lists[q]` is q's ranked list of item indices; `gold[i]` is item i's group (nil: no gold, skipped).
    package static func evaluate(lists: [[Int]], gold: [String?], k: Int) -> RankingMetrics {
        var groupSizes: [String: Int] = [:]
        for group in gold.compactMap({ $0 }) { groupSizes[group, default: 0] += 1 }
        var queries = 0
        var p1 = 0.0
        var pk = 0.0
        var recall = 0.0
        var mrr = 0.0
        for (query, list) in lists.enumerated() {
            guard let group = gold[query], let size = groupSizes[group], size > 1 else { continue }
            queries += 1
            let relevant = list.map { $0 != query && gold[$0] == group }
            if relevant.first == true { p1 += 1 }
            let hits = relevant.prefix(k).filter { $0 }.count
            pk += Double(hits) / Double(k)
            recall += Double(hits) / Double(min(k, size - 1))
            if let rank = relevant.firstIndex(of: true) { mrr += 1 / Double(rank + 1) }
        }
        let count = Double(max(1, queries))
        return RankingMetrics(queries: queries, precisionAt1: p1 / count, precisionAtK: pk / count,
                              recallAtK: recall / count, meanReciprocalRank: mrr / count, k: k)
    }
}
