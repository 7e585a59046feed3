/// What `seealso info --format json` prints about an index: the manifest's figures under the keys of
/// every other JSON output (README "JSON output": counts end in `Count`, durations in `Seconds`), the
/// live article count rather than the stored rows, and the advice `info` gives in text.
public struct IndexInfo: Sendable, Encodable {
    /// One stored clustering: how it was made and how many clusters are described.
    public struct Clustering: Sendable, Encodable {
        public var method: String
        /// Topics, or stories of more than one article.
        public var describedClusterCount: Int
    }

    public var index: String
    public var generation: Int
    public var format: String
    public var version: Int
    public var created: String
    /// The release that wrote the generation ("seealso 0.9.0"); absent for indexes of earlier releases.
    public var writtenBy: String?
    /// Live articles (deleted rows not counted).
    public var articleCount: Int
    /// Rows of deleted articles still stored, until compaction.
    public var deletedRowCount: Int
    public var termCount: Int
    public var storedEntryCount: Int
    public var k: Int
    public var method: String
    public var measuredRecall: Double?
    public var dimensions: Int?
    public var partitionCount: Int?
    /// The TF-IDF and analyzer settings (the stored stop-word lists themselves left out: see `stopWordLanguages`).
    public var configuration: TfidfConfiguration
    /// The languages whose stop-word lists the index stores (it needs no `Models/` folder for them).
    public var stopWordLanguages: [String]
    /// Articles the model (vocabulary, idf) was fitted on, and added or updated since.
    public var modelArticleCount: Int
    public var addedSinceFitCount: Int
    /// Share of the tokens of the articles written since the fit that the model does not know.
    public var outOfVocabularyRate: Double?
    public var refitAdvice: String?
    public var sources: [String]
    public var topics: Clustering?
    public var stories: Clustering?
    /// Articles that joined a topic or story through writes since the last `seealso cluster`.
    public var assignedIncrementallyCount: Int?
    public var files: [String: IndexManifest.FileRecord]
    /// Wall time of each build stage.
    public var stageSeconds: [String: Double]
}

extension SeeAlsoEngine {
    /// The index's description for `seealso info --format json`.
    public var info: IndexInfo {
        let manifest = self.manifest
        func clustering(_ stored: IndexClusters.Clustering?) -> IndexInfo.Clustering? {
            stored.map { IndexInfo.Clustering(method: $0.method, describedClusterCount: $0.clusters.count) }
        }
        var configuration = manifest.configuration
        let stopWordLanguages = configuration.analyzer.stopWordLists.map { $0.keys.sorted() } ?? []
        configuration.analyzer.stopWordLists = nil
        return IndexInfo(
            index: path, generation: generation, format: manifest.format, version: manifest.version, created: manifest.created,
            writtenBy: manifest.writtenBy,
            articleCount: articleCount, deletedRowCount: manifest.deletedRows ?? 0, termCount: manifest.vocabularySize,
            storedEntryCount: manifest.storedEntries, k: manifest.k, method: manifest.method, measuredRecall: manifest.measuredRecall,
            dimensions: manifest.denseDimensions, partitionCount: manifest.partitions, configuration: configuration,
            stopWordLanguages: stopWordLanguages,
            modelArticleCount: manifest.modelDocumentCount, addedSinceFitCount: manifest.addedSinceFit,
            outOfVocabularyRate: manifest.addedOutOfVocabularyRate, refitAdvice: refitAdvice, sources: manifest.sources,
            topics: clustering(clusters?.topics), stories: clustering(clusters?.stories),
            assignedIncrementallyCount: clusters.map { $0.assignedIncrementally ?? 0 }, files: manifest.files,
            stageSeconds: manifest.buildSeconds)
    }
}
