import ArgumentParser
import Foundation
import SeeAlsoClustering
import SeeAlsoIndex

struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Measure an index's related lists against gold labels or events (P@1, P@k, recall@k, MRR).")

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
        if format == .json {
            print(encodeJSON(metrics))
        } else {
            print(String(format: "%@ against %@ (%d queries): P@1 %.3f, P@%d %.3f, recall@%d %.3f, MRR %.3f",
                         index, gold.rawValue, metrics.queries, metrics.precisionAt1, k, metrics.precisionAtK,
                         k, metrics.recallAtK, metrics.meanReciprocalRank))
        }
    }
}
