import Foundation
import SeeAlsoCorpus
import SeeAlsoSimilarity
import SeeAlsoSupport
import SeeAlsoVectorize

/// How `seealso build` computes the related lists.
public enum ListMethod: String, Sendable, CaseIterable {
    /// Exact below `IndexBuilder.exactLimit` articles, approximate above.
    case auto
    /// Exact TF-IDF cosine (`ExactAllPairs`).
    case exact
    /// Reduced dense vectors, exhaustive, re-ranked by exact cosine.
    case dense
    /// Reduced dense vectors in k-means partitions probed `nprobe` at a time, re-ranked by exact cosine.
    case partitioned
}

/// Options of an index build.
public struct IndexBuildOptions: Sendable {
    public var configuration = TfidfConfiguration.news
    /// Use this model's vocabulary and idf instead of fitting (for reproducible rebuilds and tests).
    public var frozenModel: TfidfModel?
    /// Length of the stored related lists.
    public var k = 20
    public var method: ListMethod = .auto
    public init() {}
}

/// Builds an index: vectorize, compute every article's related list, write a new generation.
public enum IndexBuilder {
    /// Largest archive for which `auto` chooses exact lists.
    public static let exactLimit = 200_000

    public static func build(reader: CorpusReader, options: IndexBuildOptions) throws -> IndexContents {
        var seconds: [String: Double] = [:]
        var clock = Stopwatch()
        let progress = ProgressReporter("read and vectorize")
        let fit: TfidfFit
        if let frozen = options.frozenModel {
            fit = try TfidfVectorizer.transform(reader: reader, model: frozen, progress: progress)
        } else {
            fit = try TfidfVectorizer.fit(reader: reader, configuration: options.configuration, progress: progress)
        }
        progress.finish()
        if fit.skipped.count > 0 { ProgressReporter.note("seealso: " + fit.skipped.summary()) }
        seconds["vectorize"] = clock.seconds
        clock = Stopwatch()
        let method = resolve(options.method, articleCount: fit.matrix.rowCount)
        let lists = try computeLists(fit.matrix, k: options.k, method: method)
        seconds["lists"] = clock.seconds
        var contents = IndexContents(model: fit.model, articles: fit.articles, matrix: fit.matrix, lists: lists,
                                     method: method.rawValue, sources: [reader.path])
        if options.frozenModel != nil {
            contents.addedSinceFit = fit.matrix.rowCount
            contents.addedOutOfVocabularyRate = fit.outOfVocabularyRate
        }
        contents.buildSeconds = seconds
        return contents
    }

    static func resolve(_ method: ListMethod, articleCount: Int) -> ListMethod {
        guard method == .auto else { return method }
        return articleCount <= exactLimit ? .exact : .partitioned
    }

    static func computeLists(_ matrix: CSRMatrix, k: Int, method: ListMethod) throws -> NeighborLists {
        let progress = ProgressReporter("related lists (\(method.rawValue))", total: matrix.rowCount)
        defer { progress.finish() }
        switch method {
        case .exact, .auto:
            return ExactAllPairs.run(matrix, options: ExactAllPairs.Options(k: k), progress: progress)
        case .dense, .partitioned:
            throw IndexError.invalid("method \(method.rawValue) is not available yet; use --method exact")
        }
    }
}
