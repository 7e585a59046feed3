import Foundation

// The plain-text summaries the CLI prints for evaluations and cluster reports (JSON: the types themselves).

extension ClusterMetrics {
    /// "NMI …, ARI …, V-measure … (homogeneity …, completeness …), purity …, B-cubed P … R … F1 …".
    package var summaryText: String {
        String(format: "NMI %.3f, ARI %.3f, V-measure %.3f (homogeneity %.3f, completeness %.3f), purity %.3f, B-cubed P %.3f R %.3f F1 %.3f",
               normalizedMutualInformation, adjustedRandIndex, vMeasure, homogeneity, completeness, purity,
               bcubedPrecision, bcubedRecall, bcubedF1)
    }
}

extension Evaluation {
    /// One line for the lists (cut-off `k`) of the index at `path`, then one per stored clustering.
    package func summaryLines(index path: String, k: Int) -> [String] {
        var lines = [String(format: "%@ against %@ (%d queries): P@1 %.3f, P@%d %.3f, recall@%d %.3f, MRR %.3f",
                            path, gold.rawValue, lists.queries, lists.precisionAt1, k, lists.precisionAtK,
                            k, lists.recallAtK, lists.meanReciprocalRank)]
        for (kind, clusters) in [("topics", topics), ("stories", stories)] {
            guard let clusters else { continue }
            let m = clusters.metrics
            lines.append(String(format: "%@ (%d clusters, %d articles with gold; %@): ", kind, m.clusters, m.items, clusters.method)
                         + m.summaryText)
        }
        return lines
    }
}

extension ClusterReport {
    /// The summary, then the `show` largest clusters with their terms, span and a representative title.
    package func summaryText(show: Int) -> String {
        func seconds(_ value: Double) -> String { String(format: "%.2f", value) }
        var lines = ["\(kind): \(clusters) (\(method)) over \(articles) articles"
            + (multiMemberStories.map { ", \($0) with more than one article" } ?? "")]
        var figures: [String] = []
        if let objective { figures.append(String(format: "objective (mean cosine) %.4f", objective)) }
        if let refinedObjective { figures.append(String(format: "on tfidf %.4f", refinedObjective)) }
        figures.append("clustered in \(seconds(clusteringSeconds)) s (load \(seconds(loadSeconds)) s, "
                       + "total \(seconds(self.seconds)) s), peak memory \(peakResidentBytes >> 20) MiB")
        lines.append(figures.joined(separator: ", "))
        if let kScores {
            lines.append("k by silhouette: " + kScores.map { String(format: "%d %.3f", $0.k, $0.silhouette) }.joined(separator: ", "))
        }
        if let metrics, let gold { lines.append("against \(gold.rawValue): " + metrics.summaryText) }
        let ordered = descriptions.sorted { $0.size != $1.size ? $0.size > $1.size : $0.id < $1.id }
        for description in ordered.prefix(show) {
            var span = ""
            if let first = description.firstDate, let last = description.lastDate { span = first == last ? ", \(first)" : ", \(first) – \(last)" }
            lines.append("")
            lines.append("\(kind == "stories" ? "story" : "topic") \(description.id) (\(description.size) articles\(span)): "
                + description.topTerms.joined(separator: ", ").terminalSafe)
            if !description.representative.isEmpty {
                let title = representativeTitles[description.id] ?? ""
                lines.append("  e.g. " + (title.isEmpty ? description.representative : "\(title) [\(description.representative)]").terminalSafe)
            }
        }
        if ordered.count > show { lines.append("\n… \(ordered.count - show) more (--show N, or --format json)") }
        if stored { lines.append("\nstored in the index") }
        return lines.joined(separator: "\n")
    }
}

extension SeeAlsoEngine {
    /// What `seealso info` prints: the generation, counts, list method, model and refit advice, TF-IDF
    /// settings, sources, clusters, files (with `verified` when every checksum was checked) and build times.
    package func infoText(verified: Bool) -> String {
        let manifest = self.manifest
    let configuration = manifest.configuration
    var lines = [
        "index \(path) (\(URL(fileURLWithPath: generationPath).lastPathComponent), format \(manifest.format) v\(manifest.version), created \(manifest.created))",
        "articles \(articleCount)" + (manifest.deletedRows.map { " (+ \($0) deleted rows awaiting compaction)" } ?? "")
            + ", terms \(manifest.vocabularySize), stored entries \(manifest.storedEntries)",
        "related lists: \(manifest.method), k = \(manifest.k)" + (manifest.measuredRecall.map { String(format: ", recall@10 %.3f", $0) } ?? ""),
        "model: fitted on \(manifest.modelDocumentCount) articles; \(manifest.addedSinceFit) added or updated since"
            + (manifest.addedOutOfVocabularyRate.map { String(format: " (out-of-vocabulary tokens %.1f%%)", 100 * $0) } ?? "")
            + "; refit advised above \(SeeAlsoEngine.refitAdvicePoint)"
            + (refitAdvice.map { " — ADVISED: " + $0 } ?? ""),
        "tf-idf: min_df \(configuration.minDF), max_df \(configuration.maxDF), sublinear_tf \(configuration.sublinearTF), "
            + "norm \(configuration.norm.rawValue), title weight \(configuration.titleWeight)"
            + (configuration.fieldWeights.map { ", field weights " + $0.description } ?? "") + ", stop words \(configuration.analyzer.stopWords), "
            + "stemming \(configuration.analyzer.stemming), ngram (\(configuration.analyzer.ngramMin), \(configuration.analyzer.ngramMax))",
        "sources: \(manifest.sources.joined(separator: ", "))",
    ]
    if let clusters = clusters {
        let kinds = [clusters.topics.map { "topics (\($0.clusters.count) described)" }, clusters.stories.map { "stories (\($0.clusters.count) described)" }]
        lines.append("clusters: " + kinds.compactMap { $0 }.joined(separator: ", ")
                     + "; \(clusters.assignedIncrementally ?? 0) articles assigned incrementally since the last `seealso cluster`")
    }
    let total = manifest.files.values.reduce(0) { $0 + $1.bytes }
    lines.append("files (\(total >> 20) MiB" + (verified ? ", all checksums verified" : "") + "):")
    for (name, record) in manifest.files.sorted(by: { $0.key < $1.key }) {
        lines.append(String(format: "  %-18@ %10d bytes  crc32 %08x", name as NSString, record.bytes, record.crc32))
    }
    if !manifest.buildSeconds.isEmpty {
        lines.append("build: " + manifest.buildSeconds.sorted { $0.key < $1.key }.map { "\($0.key) \(String(format: "%.2f", $0.value)) s" }.joined(separator: ", "))
    }
        return lines.joined(separator: "\n")
    }
}

extension BuildReport {
    /// What `build` prints: counts, the list method, recall, stage times and peak memory of the index at `path`.
    package func summaryText(index path: String) -> String {
        func seconds(_ value: Double) -> String { String(format: "%.2f", value) }
        let stages = stageSeconds.sorted { $0.key < $1.key }.map { "\($0.key) \(seconds($0.value)) s" }
        return """
            \(path): \(articles) articles, \(vocabulary) terms, \(method) lists of \(k)\
            \(measuredRecall.map { String(format: " (recall@10 %.3f)", $0) } ?? "")
            built in \(seconds(self.seconds)) s (\(stages.joined(separator: ", ")), write \(seconds(writeSeconds)) s), \
            peak memory \(peakResidentBytes >> 20) MiB
            """
    }
}

extension VectorizeReport {
    /// What `vectorize` prints for the archive at `path`: counts, entries per article, fit time and peak memory.
    package func summaryText(input path: String) -> String {
        """
        \(path): \(documents) articles, \(vocabulary) terms, \(storedEntries) stored entries \
        (\(String(format: "%.1f", Double(storedEntries) / Double(max(1, documents)))) per article)
        fitted in \(String(format: "%.3f", fitSeconds)) s, peak memory \(peakResidentBytes >> 20) MiB\
        \(skipped > 0 ? ", \(skipped) invalid records skipped" : "")
        """
    }
}
