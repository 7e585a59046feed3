import Foundation
import SeeAlsoSupport

/// Topic and story clusters stored with an index (`clusters.json` for descriptions,
/// `clusters.sal` for the per-article assignments), so `related` can show an item's topic and story.
public struct IndexClusters: Codable, Sendable {
    /// One clustering of the articles.
    public struct Clustering: Codable, Sendable {
        /// How it was made, e.g. "kmeans k=20 seed=0 on lsa-100".
        public var method: String
        /// Cluster of each article (−1: none). Stored in clusters.sal, not in the JSON.
        public var assignments: [Int32]
        public var clusters: [Description]
        /// Stories: the linkage threshold and time window they were clustered with, and whether the
        /// linkage was measured on TF-IDF rows (else on LSA vectors); new articles join by them.
        public var linkageThreshold: Float?
        public var windowSeconds: Int64?
        public var linkageOnTfidf: Bool?

        package init(method: String, assignments: [Int32], clusters: [Description]) {
            self.method = method
            self.assignments = assignments
            self.clusters = clusters
        }

        enum CodingKeys: String, CodingKey { case method, clusters, linkageThreshold, windowSeconds, linkageOnTfidf }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            method = try container.decode(String.self, forKey: .method)
            clusters = try container.decode([Description].self, forKey: .clusters)
            linkageThreshold = try container.decodeIfPresent(Float.self, forKey: .linkageThreshold)
            windowSeconds = try container.decodeIfPresent(Int64.self, forKey: .windowSeconds)
            linkageOnTfidf = try container.decodeIfPresent(Bool.self, forKey: .linkageOnTfidf)
            assignments = []
        }
    }

    /// What a cluster is about.
    public struct Description: Codable, Sendable {
        public var id: Int
        public var size: Int
        /// Terms with the largest centroid weight.
        public var topTerms: [String]
        /// The article nearest the centroid (its id).
        public var representative: String
        public var firstDate: String?
        public var lastDate: String?

        package init(id: Int, size: Int, topTerms: [String], representative: String, firstDate: String?, lastDate: String?) {
            self.id = id
            self.size = size
            self.topTerms = topTerms
            self.representative = representative
            self.firstDate = firstDate
            self.lastDate = lastDate
        }
    }

    public var topics: Clustering?
    public var stories: Clustering?
    /// Articles added or updated since the last `cluster` that joined a topic or story by the
    /// incremental rules (`IncrementalClusters`) rather than by clustering.
    public var assignedIncrementally: Int?

    package init(topics: Clustering? = nil, stories: Clustering? = nil) {
        self.topics = topics
        self.stories = stories
    }
}

extension IndexWriter {
    /// Publishes a new generation equal to the live one plus `clusters` (replacing any earlier
    /// clusters). Unchanged files are hard-linked, not copied, so this costs O(articles).
    @discardableResult
    package static func attachClusters(_ clusters: IndexClusters, to index: Index, session: IndexWriterSession,
                                       record: ChangeRecord?) throws -> Int {
        let live = index.generationPath
        return try session.publish(record: record) { folder in
            var manifest = index.manifest
            var files = SavedFiles(folder: folder)
            try files.link(manifest.files.keys.filter { $0 != "clusters.sal" && $0 != "clusters.json" }, from: live, records: manifest.files)
            try files.save(clusters)
            manifest.files = files.records
            try writeManifest(manifest, to: folder)
        }
    }

    /// Writes `data` to a new file of a generation folder being filled, and syncs it.
    static func writeSynced(_ data: Data, to path: String) throws {
        try FileDescriptor.writeSynced(path) { file in try data.withUnsafeBytes { try file.writeAll($0) } }
    }
}
