import SeeAlsoSupport

/// What `SeeAlsoEngine.vectorize` fitted and wrote.
public struct VectorizeReport: Sendable, Codable {
    public var input: String
    public var documents: Int
    public var vocabulary: Int
    public var storedEntries: Int
    public var skipped: Int
    public var fitSeconds: Double
    public var peakResidentBytes: Int

    /// JSON keys (README "JSON output"): counts end in `Count`.
    enum CodingKeys: String, CodingKey {
        case input, fitSeconds, peakResidentBytes
        case documents = "articleCount", vocabulary = "termCount", storedEntries = "storedEntryCount", skipped = "skippedRecordCount"
    }
}

/// Files `SeeAlsoEngine.vectorize` writes.
public struct VectorizeOutputs: Sendable {
    /// The fitted model (configuration, vocabulary, idf) as versioned JSON, reusable by `BuildOptions.modelFile`.
    public var model: String?
    /// The TF-IDF matrix in MatrixMarket coordinate format (rows in input order; `scipy.io.mmread` reads it).
    public var matrixMarket: String?
    /// The vocabulary, one term per line, in column order.
    public var vocabulary: String?

    public init(model: String? = nil, matrixMarket: String? = nil, vocabulary: String? = nil) {
        self.model = model
        self.matrixMarket = matrixMarket
        self.vocabulary = vocabulary
    }
}

extension SeeAlsoEngine {
    /// Fits TF-IDF on an archive in one streaming pass on all cores and writes the requested files.
    /// With `TfidfConfiguration.scikitLearn` (and the same settings) the matrix equals scikit-learn's
    /// `TfidfVectorizer` on `title + "\n" + body`.
    public static func vectorize(_ input: ArchiveInput, tfidf: TfidfConfiguration, outputs: VectorizeOutputs,
                                 progress: any ProgressReporter = SilentProgress()) throws -> VectorizeReport {
        let clock = Stopwatch()
        let fit = try vectorize(try input.reader(), model: nil, tfidf: tfidf, keepMetadata: false, progress: progress)
        let fitSeconds = clock.seconds
        if let path = outputs.model { try ModelFile.save(fit.model, to: path) }
        if let path = outputs.matrixMarket { try MatrixMarket.write(fit.matrix, to: path) }
        if let path = outputs.vocabulary { try MatrixMarket.writeVocabulary(fit.model.vocabulary, to: path) }
        return VectorizeReport(input: input.paths.joined(separator: ","), documents: fit.matrix.rowCount,
                               vocabulary: fit.model.vocabulary.count, storedEntries: fit.matrix.storedCount,
                               skipped: fit.skipped.count, fitSeconds: fitSeconds,
                               peakResidentBytes: ResourceUsage.peakResidentBytes() ?? 0)
    }
}
