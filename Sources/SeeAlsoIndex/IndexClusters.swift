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

        package init(method: String, assignments: [Int32], clusters: [Description]) {
            self.method = method
            self.assignments = assignments
            self.clusters = clusters
        }

        enum CodingKeys: String, CodingKey { case method, clusters }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            method = try container.decode(String.self, forKey: .method)
            clusters = try container.decode([Description].self, forKey: .clusters)
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

    package init(topics: Clustering? = nil, stories: Clustering? = nil) {
        self.topics = topics
        self.stories = stories
    }
}

extension IndexWriter {
    /// Publishes a new generation equal to the live one plus `clusters` (replacing any earlier
    /// clusters). Unchanged files are hard-linked, not copied, so this costs O(articles).
    package static func attachClusters(_ clusters: IndexClusters, to index: Index) throws {
        let live = index.generationPath
        try IndexDirectory(path: index.path).publish { folder in
            var manifest = index.manifest
            var files = SavedFiles(folder: folder)
            try files.link(manifest.files.keys.filter { $0 != "clusters.sal" && $0 != "clusters.json" }, from: live, records: manifest.files)
            let writer = SectionFileWriter(kind: "clusters")
            writer.add("topics", clusters.topics?.assignments ?? [])
            writer.add("stories", clusters.stories?.assignments ?? [])
            try files.save(writer, "clusters.sal")
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try files.save(try encoder.encode(clusters), "clusters.json")
            manifest.files = files.records
            try writeManifest(manifest, to: folder)
        }
    }

    /// Writes `data` to a new file of a generation folder being filled, and syncs it.
    static func writeSynced(_ data: Data, to path: String) throws {
        try FileDescriptor.writeSynced(path) { file in try data.withUnsafeBytes { try file.writeAll($0) } }
    }
}
