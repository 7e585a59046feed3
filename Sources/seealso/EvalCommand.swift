import ArgumentParser
import Foundation
import SeeAlso

struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Measure an index's related lists (P@1, P@k, recall@k, MRR) and its stored topics and stories (NMI, ARI, V-measure, purity, B-cubed) against gold labels or events, or its lists' recall against exact lists.")

    @OptionGroup var index: IndexOption
    @Option(help: "Gold field: label (topic) or event (story).") var gold: GoldField = .event
    @Option(name: [.short, .long], help: "Cut-off k of P@k and recall@k (≤ the index's stored k).") var k = 10
    @Option(help: "Instead: recall@10 of the stored lists against exact lists on N sampled articles.") var recallSample: Int?
    @Option(help: "With --recall-sample: sample the articles from this row on (e.g. the first added one).") var recallFrom = 0
    @Option(help: ArgumentHelp("Only list items with one of these values: FIELD=V1,V2 (categories, tags, section, author, label, lang); repeatable.", valueName: "field=values"))
    var include: [String] = []
    @Option(help: ArgumentHelp("Leave out list items with any of these values: FIELD=V1,V2; repeatable.", valueName: "field=values"))
    var exclude: [String] = []
    @Option(help: "text or json.") var format: OutputFormat = .text

    func run() throws {
        let engine = try SeeAlsoEngine(path: index.path)
        if let recallSample {
            let measured = try engine.measureRecall(sampleSize: recallSample, firstRow: recallFrom)
            if format == .json { return printJSON(measured) }
            return print(String(format: "%@: recall@%d against exact lists %.3f (%d articles from row %d)",
                                index.path, measured.at, measured.recall, measured.rows, recallFrom))
        }
        let evaluation = try engine.evaluate(gold: gold, k: k, filters: try FieldFilter.parse(include: include, exclude: exclude))
        if format == .json { return printJSON(evaluation) }
        for line in evaluation.summaryLines(index: index.path, k: k) { print(line) }
    }
}

extension GoldField: ExpressibleByArgument {}
