import ArgumentParser
import Foundation
import SeeAlsoClustering
import SeeAlsoIndex

struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Measure an index's related lists (P@1, P@k, recall@k, MRR) and its stored topics and stories (NMI, ARI, V-measure, purity, B-cubed) against gold labels or events.")

    enum Gold: String, ExpressibleByArgument, CaseIterable { case label, event }

    @Option(help: "Index directory.")
    var index: String

    @Option(help: "Gold field: label (topic) or event (story).")
    var gold: Gold = .event

    @Option(name: [.short, .long], help: "Cut-off k of P@k and recall@k (≤ the index's stored k).")
    var k = 10

    @Option(help: "text or json.")
    var format: OutputFormat = .text

    func run() throws {
        let loaded = try Index(path: index)
        guard k <= loaded.k else { throw ValidationError("-k \(k) exceeds the index's stored list length \(loaded.k)") }
        let goldValues = (0..<loaded.articleCount).map { gold == .label ? loaded.label($0) : loaded.event($0) }
        let lists = (0..<loaded.articleCount).map { loaded.storedList($0).map(\.row) }
        let metrics = RankingMetrics.evaluate(lists: lists, gold: goldValues, k: k)
        // Cluster metrics of the stored topics and stories, when `seealso cluster` stored them.
        var clusterMetrics: [(kind: String, method: String, metrics: ClusterMetrics)] = []
        if let clusters = loaded.clusters {
            if let topics = clusters.topics {
                let assignments = (0..<loaded.articleCount).map { Int32(loaded.topic($0) ?? -1) }
                clusterMetrics.append(("topics", topics.method, ClusterMetrics.evaluate(gold: goldValues, assignments: assignments)))
            }
            if let stories = clusters.stories {
                let assignments = (0..<loaded.articleCount).map { Int32(loaded.story($0) ?? -1) }
                clusterMetrics.append(("stories", stories.method, ClusterMetrics.evaluate(gold: goldValues, assignments: assignments)))
            }
        }
        if format == .json {
            if clusterMetrics.isEmpty {
                print(encodeJSON(metrics))
            } else {
                // The list metrics' fields stay at the top level; cluster metrics are added beside them.
                var object = (try? JSONSerialization.jsonObject(with: Data(encodeJSON(metrics).utf8))) as? [String: Any] ?? [:]
                for entry in clusterMetrics {
                    var fields = (try? JSONSerialization.jsonObject(with: Data(encodeJSON(entry.metrics).utf8))) as? [String: Any] ?? [:]
                    fields["method"] = entry.method
                    object[entry.kind] = fields
                }
                let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
                print(String(decoding: data, as: UTF8.self))
            }
        } else {
            print(String(format: "%@ against %@ (%d queries): P@1 %.3f, P@%d %.3f, recall@%d %.3f, MRR %.3f",
                         index, gold.rawValue, metrics.queries, metrics.precisionAt1, k, metrics.precisionAtK,
                         k, metrics.recallAtK, metrics.meanReciprocalRank))
            for entry in clusterMetrics {
                let m = entry.metrics
                print(String(format: "%@ (%d clusters, %d articles with gold; %@): NMI %.3f, ARI %.3f, V-measure %.3f (homogeneity %.3f, completeness %.3f), purity %.3f, B-cubed P %.3f R %.3f F1 %.3f",
                             entry.kind, m.clusters, m.items, entry.method, m.normalizedMutualInformation, m.adjustedRandIndex,
                             m.vMeasure, m.homogeneity, m.completeness, m.purity, m.bcubedPrecision, m.bcubedRecall, m.bcubedF1))
            }
        }
    }
}
