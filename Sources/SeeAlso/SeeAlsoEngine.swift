import SeeAlsoSupport

/// An opened SeeAlso index: the "See also" lists, topics and stories of one archive.
///
/// Open an index that `SeeAlsoEngine.build` wrote, then ask for the related articles of one of its
/// articles (`related(toArticleWithID:options:)`), of new texts (`related(to:options:)`), or every
/// stored list (`forEachStoredList(options:_:)`); evaluate the lists and clusters against gold fields.
/// Writers (`build`, `add`, `update`, `delete`, `cluster`) publish a new generation of the index
/// directory atomically, one at a time; an engine keeps reading the generation it opened until
/// `reopened()`.
///
/// An engine is safe to use from several threads at once. Its arrays are memory-mapped: opening costs
/// O(number of files) (plus the checksums of small files), and a query touches only the pages it needs.
public final class SeeAlsoEngine: Sendable {
    let index: Index
    private let descriptions: ClusterDescriptions

    /// Opens the live generation of the index at `path`. With `verify`, every file's CRC-32 is
    /// checked (files up to 64 MiB always are).
    public init(path: String, verify: Bool = false) throws {
        index = try Index(path: path, verify: verify)
        descriptions = ClusterDescriptions(index.clusters)
    }

    /// The same index, opened again at its current live generation (after a writer published one).
    public func reopened() throws -> SeeAlsoEngine { try SeeAlsoEngine(path: index.path) }

    /// The index directory.
    public var path: String { index.path }
    /// The live generation's folder when this engine opened it.
    public var generationPath: String { index.generationPath }
    /// The number of the generation this engine opened (it grows by one with every publish).
    public var generation: Int { IndexDirectory.number(ofGeneration: index.generationPath) ?? 0 }

    /// The number of the live generation of the index at `path` (reads only its `CURRENT` file), or nil
    /// when the directory holds no index yet: cheap enough to poll for a writer's publish.
    public static func liveGeneration(ofIndexAt path: String) throws -> Int? {
        try IndexDirectory(path: path).liveGeneration().flatMap(IndexDirectory.number(ofGeneration:))
    }

    /// Counts, configuration, build figures and every file's size and checksum.
    public var manifest: IndexManifest { index.manifest }
    /// Articles in the index (deleted ones not counted).
    public var articleCount: Int { index.liveArticleCount }
    /// Advice to refit the model, when the articles written since the fit call for it.
    public var refitAdvice: String? {
        Self.refitAdvice(addedSinceFit: manifest.addedSinceFit, fittedOn: manifest.modelDocumentCount,
                         outOfVocabularyRate: manifest.addedOutOfVocabularyRate ?? 0)
    }
    /// Total bytes of the generation's files.
    public var byteCount: Int { index.byteCount }
    /// Topic and story descriptions, when `cluster` stored them.
    public var clusters: IndexClusters? { index.clusters }

    /// The metadata of the article with `id`, or nil when the index has none. O(log n).
    public func article(withID id: String) -> ArticleMetadata? { index.row(ofId: id).map(index.metadata) }

    /// The topic and story of the article `id` (nil when not stored, and the story nil when it holds
    /// only this article), as its `RelatedList` gives them.
    public func clusters(ofArticleWithID id: String) -> (topic: Int?, story: Int?) {
        guard let row = index.row(ofId: id) else { return (nil, nil) }
        return (index.topic(row), describedStory(row))
    }

    /// The articles of story `id`, in index order (empty when no stored story has that id). O(n).
    public func articles(inStory id: Int) -> [ArticleMetadata] {
        guard story(id) != nil else { return [] }
        return (0..<index.articleCount).filter { !index.isDeleted($0) && index.story($0) == id }.map(index.metadata)
    }

    /// The stored description of topic `id` (nil when topics are not stored).
    public func topic(_ id: Int) -> IndexClusters.Description? { descriptions.topics[id] }

    /// The stored description of story `id` (stories of one article have none).
    public func story(_ id: Int) -> IndexClusters.Description? { descriptions.stories[id] }

    /// Worker threads for SeeAlso's parallel loops: all cores by default (or `SEEALSO_THREADS`), at
    /// most `maximumWorkerThreads` (larger values are clamped).
    /// OpenBLAS always runs on one thread inside them, so the two never oversubscribe the cores.
    public static let maximumWorkerThreads = Parallelism.allowedWorkers.upperBound

    public static var workerThreads: Int {
        get { Parallelism.workerCount }
        set { Parallelism.setWorkerCount(newValue) }
    }
}

/// Stored topic and story descriptions by cluster id.
private struct ClusterDescriptions: Sendable {
    var topics: [Int: IndexClusters.Description] = [:]
    var stories: [Int: IndexClusters.Description] = [:]

    init(_ clusters: IndexClusters?) {
        for description in clusters?.topics?.clusters ?? [] where topics[description.id] == nil { topics[description.id] = description }
        for description in clusters?.stories?.clusters ?? [] where stories[description.id] == nil { stories[description.id] = description }
    }
}
