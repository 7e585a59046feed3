import Foundation
import SeeAlsoCorpus
import SeeAlsoSimilarity
import SeeAlsoSupport
import SeeAlsoVectorize

/// The dense side of an approximate index: unit LSA vectors (n × d), the projection V (terms × d)
/// that maps new TF-IDF rows into the same space, the singular values, and the k-means partitions.
package struct DenseSection: Sendable {
    package var vectors: DenseMatrix
    package var projection: DenseMatrix
    package var singularValues: [Float]
    package var partitions: Partitions?
}

/// Everything an index generation holds, in memory, ready to be written.
package struct IndexContents: Sendable {
    package var model: TfidfModel
    package var articles: [ArticleMetadata]
    package var matrix: CSRMatrix
    package var postings: SparsePostings
    package var lists: NeighborLists
    package var method: String
    package var measuredRecall: Double?
    package var sources: [String]
    package var addedSinceFit = 0
    package var addedOutOfVocabularyRate: Double?
    package var buildSeconds: [String: Double] = [:]
    /// Reduced vectors and partitions of the approximate methods.
    package var dense: DenseSection?
    package var partitioned: PartitionedIndex.Options?

    /// The contents of a similarity index's rows and lists, with the articles' metadata and model.
    package init(model: TfidfModel, articles: [ArticleMetadata], index: any SimilarityIndex, method: String, sources: [String]) {
        self.model = model
        self.articles = articles
        matrix = index.matrix
        postings = index.postings
        lists = index.lists
        self.method = method
        self.sources = sources
        if let partitioned = index as? PartitionedIndex {
            dense = DenseSection(vectors: partitioned.vectors, projection: partitioned.svd.rightSingularVectors,
                                 singularValues: partitioned.svd.singularValues, partitions: partitioned.partitions)
            self.partitioned = partitioned.options
        }
    }
}

/// Writes `IndexContents` as a new generation of an index directory (see `IndexDirectory`).
package enum IndexWriter {
    package static func write(_ contents: IndexContents, to directory: IndexDirectory) throws {
        try directory.publish { folder in
            var files: [String: IndexManifest.FileRecord] = [:]
            func save(_ writer: SectionFileWriter, _ name: String) throws {
                let (bytes, crc) = try writer.write(to: folder + "/" + name)
                files[name] = IndexManifest.FileRecord(bytes: bytes, crc32: crc)
            }
            try save(modelFile(contents.model), "model.sal")
            try save(articlesFile(contents.articles), "articles.sal")
            try save(matrixFile(contents.matrix), "matrix.sal")
            try save(postingsFile(contents.postings), "postings.sal")
            try save(neighborsFile(contents.lists), "neighbors.sal")
            if let dense = contents.dense { try save(denseFile(dense), "dense.sal") }
            let formatter = ISO8601DateFormatter()
            let manifest = IndexManifest(
                created: formatter.string(from: Date()), articleCount: contents.articles.count,
                vocabularySize: contents.model.vocabulary.count, storedEntries: contents.matrix.storedCount,
                k: contents.lists.k, method: contents.method, measuredRecall: contents.measuredRecall,
                configuration: contents.model.configuration, modelDocumentCount: contents.model.documentCount,
                sources: contents.sources, addedSinceFit: contents.addedSinceFit,
                addedOutOfVocabularyRate: contents.addedOutOfVocabularyRate,
                denseDimensions: contents.dense?.vectors.columnCount, partitions: contents.dense?.partitions?.count,
                partitioned: contents.partitioned, files: files, buildSeconds: contents.buildSeconds)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try writeSynced(try encoder.encode(manifest), to: folder + "/manifest.json")
        }
    }

    static func denseFile(_ dense: DenseSection) -> SectionFileWriter {
        let writer = SectionFileWriter(kind: "dense")
        writer.add("shape", [Int64(dense.vectors.rowCount), Int64(dense.vectors.columnCount)])
        writer.add("vectors", dense.vectors.values)
        writer.add("projection", dense.projection.values)
        writer.add("singularValues", dense.singularValues)
        writer.add("centroids", dense.partitions?.centroids.values ?? [])
        writer.add("partitionOfRow", dense.partitions?.partitionOfRow ?? [])
        return writer
    }

    static func modelFile(_ model: TfidfModel) -> SectionFileWriter {
        let writer = SectionFileWriter(kind: "model")
        writer.addStrings("vocabulary", model.vocabulary)
        writer.add("idf", model.idf)
        return writer
    }

    static func articlesFile(_ articles: [ArticleMetadata]) -> SectionFileWriter {
        let writer = SectionFileWriter(kind: "articles")
        writer.addStrings("id", articles.map(\.id))
        writer.addStrings("title", articles.map(\.title))
        writer.addStrings("url", articles.map { $0.url ?? "" })
        writer.addStrings("label", articles.map { $0.label ?? "" })
        writer.addStrings("event", articles.map { $0.event ?? "" })
        writer.addStrings("lang", articles.map { $0.language ?? "" })
        writer.add("date", articles.map { $0.date?.secondsSinceEpoch ?? Int64.min })
        writer.add("dateHasTime", articles.map { UInt8($0.date?.hasTime == true ? 1 : 0) })
        // Rows sorted by id bytes, for binary search by id.
        let order = (0..<articles.count).sorted { articles[$0].id.utf8.lexicographicallyPrecedes(articles[$1].id.utf8) }
        writer.add("idOrder", order.map { Int32($0) })
        return writer
    }

    static func matrixFile(_ matrix: CSRMatrix) -> SectionFileWriter {
        let writer = compressedFile("matrix", starts: ("rowStarts", matrix.rowStarts), indices: ("columns", matrix.columns), values: matrix.values)
        writer.add("shape", [Int64(matrix.rowCount), Int64(matrix.columnCount)])
        return writer
    }

    static func postingsFile(_ postings: SparsePostings) -> SectionFileWriter {
        compressedFile("postings", starts: ("columnStarts", postings.columnStarts), indices: ("rows", postings.rows), values: postings.values)
    }

    /// A compressed sparse matrix (CSR, or the postings' CSC): offsets (Int64), indices and values.
    private static func compressedFile(_ kind: String, starts: (name: String, offsets: [Int]), indices: (name: String, values: [Int32]),
                                       values: [Float]) -> SectionFileWriter {
        let writer = SectionFileWriter(kind: kind)
        writer.add(starts.name, starts.offsets)
        writer.add(indices.name, indices.values)
        writer.add("values", values)
        return writer
    }

    static func neighborsFile(_ lists: NeighborLists) -> SectionFileWriter {
        let writer = SectionFileWriter(kind: "lists")
        writer.add("k", [Int64(lists.k)])
        writer.add("ids", lists.ids)
        writer.add("scores", lists.scores)
        return writer
    }
}
