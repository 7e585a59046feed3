import ArgumentParser
import Foundation
import SeeAlso

struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info", abstract: "Show an index's counts, sizes, configuration and build figures.")

    @Option(help: "Index directory.")
    var index: String

    @Flag(help: "Check every file's checksum (always done for files up to 64 MiB).")
    var verify = false

    @Option(help: "text or json.")
    var format: OutputFormat = .text

    func run() throws {
        let engine = try SeeAlsoEngine(path: index, verify: verify)
        let manifest = engine.manifest
        if format == .json { return printJSON(engine.info) }
        let configuration = manifest.configuration
        var lines = [
            "index \(index) (\(URL(fileURLWithPath: engine.generationPath).lastPathComponent), format \(manifest.format) v\(manifest.version), created \(manifest.created))",
            "articles \(engine.articleCount)" + (manifest.deletedRows.map { " (+ \($0) deleted rows awaiting compaction)" } ?? "")
                + ", terms \(manifest.vocabularySize), stored entries \(manifest.storedEntries)",
            "related lists: \(manifest.method), k = \(manifest.k)" + (manifest.measuredRecall.map { String(format: ", recall@10 %.3f", $0) } ?? ""),
            "model: fitted on \(manifest.modelDocumentCount) articles; \(manifest.addedSinceFit) added or updated since"
                + (manifest.addedOutOfVocabularyRate.map { String(format: " (out-of-vocabulary tokens %.1f%%)", 100 * $0) } ?? "")
                + "; refit advised above \(SeeAlsoEngine.refitAdvicePoint)"
                + (engine.refitAdvice.map { " — ADVISED: " + $0 } ?? ""),
            "tf-idf: min_df \(configuration.minDF), max_df \(configuration.maxDF), sublinear_tf \(configuration.sublinearTF), "
                + "norm \(configuration.norm.rawValue), title weight \(configuration.titleWeight)"
                + (configuration.fieldWeights.map { ", field weights " + $0.description } ?? "") + ", stop words \(configuration.analyzer.stopWords), "
                + "stemming \(configuration.analyzer.stemming), ngram (\(configuration.analyzer.ngramMin), \(configuration.analyzer.ngramMax))",
            "sources: \(manifest.sources.joined(separator: ", "))",
        ]
        if let clusters = engine.clusters {
            let kinds = [clusters.topics.map { "topics (\($0.clusters.count) described)" }, clusters.stories.map { "stories (\($0.clusters.count) described)" }]
            lines.append("clusters: " + kinds.compactMap { $0 }.joined(separator: ", ")
                         + "; \(clusters.assignedIncrementally ?? 0) articles assigned incrementally since the last `seealso cluster`")
        }
        let total = manifest.files.values.reduce(0) { $0 + $1.bytes }
        lines.append("files (\(total >> 20) MiB" + (verify ? ", all checksums verified" : "") + "):")
        for (name, record) in manifest.files.sorted(by: { $0.key < $1.key }) {
            lines.append(String(format: "  %-18@ %10d bytes  crc32 %08x", name as NSString, record.bytes, record.crc32))
        }
        if !manifest.buildSeconds.isEmpty {
            lines.append("build: " + manifest.buildSeconds.sorted { $0.key < $1.key }.map { "\($0.key) \(seconds($0.value)) s" }.joined(separator: ", "))
        }
        print(lines.joined(separator: "\n"))
    }
}
