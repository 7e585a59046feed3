import Foundation
import SeeAlsoCorpus
import SeeAlsoSimilarity
import SeeAlsoSupport
import SeeAlsoVectorize

/// The dense side of an approximate index: unit LSA vectors (n × d), the projection V (terms × d)
/// that maps new TF-IDF rows into the same space, the singular values, and the k-means partitions.
package struct DenseSection: Sendable {
    package var vectors: ReducedVectors
    package var projection: DenseMatrix
    package var singularValues: [Float]
    package var partitions: Partitions?
}

/// Everything an index generation holds, in memory, ready to be written.
package struct IndexContents: Sendable {
    package var model: TfidfModel
    package var articles: [ArticleMetadata]
    /// The rows; their postings are made from them, column block by column block, when written.
    package var matrix: CSRMatrix
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
    /// Topic and story clusters, with one assignment per article.
    package var clusters: IndexClusters?
    /// The articles' bodies, for refitting from the index (nil: not kept).
    package var texts: StoredTexts?

    /// The contents of a similarity index's rows and lists, with the articles' metadata and model.
    package init(model: TfidfModel, articles: [ArticleMetadata], index: any SimilarityIndex, method: String, sources: [String]) {
        self.model = model
        self.articles = articles
        matrix = index.matrix
        lists = index.lists
        self.method = method
        self.sources = sources
        if let partitioned = index as? PartitionedIndex {
            dense = DenseSection(vectors: partitioned.reducedVectors, projection: partitioned.svd.rightSingularVectors,
                                 singularValues: partitioned.svd.singularValues, partitions: partitioned.partitions)
            self.partitioned = partitioned.options
        }
    }
}

extension IndexContents {
    /// These contents without `deleted` rows: the survivors keep their order, list entries are
    /// renumbered (lists hold no deleted row), and vectors, partitions and cluster assignments follow.
    /// Answers do not change. O(stored entries).
    package func removing(_ deleted: RowSet) throws -> IndexContents {
        guard !deleted.isEmpty else { return self }
        let kept = (0..<articles.count).filter { !deleted.contains($0) }
        var renumbered = [Int32](repeating: -1, count: articles.count)
        for (position, row) in kept.enumerated() { renumbered[row] = Int32(position) }
        var result = self
        result.articles = kept.map { articles[$0] }
        result.matrix = matrix.selectingRows(kept)
        let selected = lists.selecting(kept)
        result.lists = NeighborLists(rowCount: kept.count, k: lists.k, ids: selected.ids.map { $0 >= 0 ? renumbered[Int($0)] : -1 },
                                     scores: selected.scores)
        if let dense {
            let partitions = dense.partitions.map { partitions in
                Partitions(centroids: partitions.centroids, partitionOfRow: kept.map { partitions.partitionOfRow[$0] })
            }
            result.dense = DenseSection(vectors: .held(dense.vectors.matrix.selectingRows(kept)), projection: dense.projection,
                                        singularValues: dense.singularValues, partitions: partitions)
        }
        if case .blocks(let blocks)? = texts { result.texts = .blocks(try blocks.removing(deleted)) }
        precondition(result.texts?.isFile != true, "IndexContents.removing: texts already written to a file cannot lose rows")
        result.clusters?.topics?.assignments = clusters?.topics.map { topics in kept.map { topics.assignments[$0] } } ?? []
        result.clusters?.stories?.assignments = clusters?.stories.map { stories in kept.map { stories.assignments[$0] } } ?? []
        return result
    }
}

/// The bodies of a generation being written: blocks in memory, or a `texts.sal` already written beside
/// the generations (`IndexWriterSession.writeTexts`), so that a build need not hold them while it
/// computes the lists.
package enum StoredTexts: Sendable {
    case blocks(TextBlocks)
    case file(WrittenFile)

    var isFile: Bool { if case .file = self { return true } else { return false } }
}

/// A file written in the index directory, not yet in a generation, with its manifest record.
package struct WrittenFile: Sendable {
    package let path: String
    package let record: IndexManifest.FileRecord
}

extension IndexWriterSession {
    /// Writes `texts` as a `texts.sal` file beside the generations (removed when the writer ends without
    /// publishing it), so the caller can drop the blocks from memory.
    package func writeTexts(_ texts: TextBlocks) throws -> WrittenFile {
        let path = directory.path + "/" + IndexDirectory.pendingPrefix + "texts.sal"
        let (bytes, crc) = try IndexWriter.textsFile(texts).write(to: path)
        return WrittenFile(path: path, record: IndexManifest.FileRecord(bytes: bytes, crc32: crc))
    }
}

extension IndexWriterSession {
    /// Writes the bodies of the articles `reader` reads (admitted as the vectorizer admits them: in input
    /// order, invalid records and repeated ids rejected or thrown as `CorpusValidator` decides) as a
    /// `texts.sal` file beside the generations, the same file `writeTexts(_:)` writes for the
    /// vectorizer's blocks (one zlib block per input piece: `CorpusReader.nextPiece()`). Streaming: pieces
    /// are read, decoded and compressed on all workers and spooled to a pending file, so memory holds a few batches, never
    /// the text; the spool is then copied into the section file (disk: twice the compressed text for a
    /// moment). Cost: one more read and decode of the input, and the compression the vectorizer would
    /// otherwise do. Returns the file and how many bodies it holds.
    package func writeTexts(from reader: CorpusReader, progress: ProgressTask?) throws -> (file: WrittenFile, count: Int) {
        let spoolPath = directory.path + "/" + IndexDirectory.pendingPrefix + "texts.spool"
        defer { try? FileManager.default.removeItem(atPath: spoolPath) }
        var counts: [Int64] = [], starts: [Int64] = [0]
        do {
            // A scratch file, read back below: not synced.
            let spool = try FileDescriptor.open(spoolPath, .createTruncate)
            defer { try? spool.close() }
            var validator = CorpusValidator(file: reader.path, skipInvalid: reader.options.skipInvalid)
            try OrderedPipeline.run(
                next: { try reader.nextPiece() },
                transform: { piece, _ -> CompressedBodies in
                    var decoded = try reader.decode(piece)
                    let bodies = decoded.records.compactMap { $0.article?.body }
                    // The validator needs ids and lines only (and a range's line count, kept in `decoded`).
                    decoded.records = decoded.records.map { record -> DecodedRecord in
                        guard case .article(let article, let line) = record else { return record }
                        return .article(Article(id: article.id, body: ""), line: line)
                    }
                    return CompressedBodies(records: decoded, block: TextBlocks.compress(bodies), count: bodies.count)
                },
                consume: { compressed in
                    let accepted = try validator.admit(compressed.records)
                    var block = compressed.block, count = compressed.count
                    let articles = zip(compressed.records.records, accepted).filter { $0.0.article != nil }.map(\.1)
                    if articles.contains(false) {
                        let bodies = try TextBlocks.decompress(block, count: count)
                        let kept = bodies.indices.filter { articles[$0] }.map { bodies[$0] }
                        (block, count) = (TextBlocks.compress(kept), kept.count)
                    }
                    // `TextBlocks.append` keeps no empty block either.
                    guard count > 0 else { return }
                    try block.withUnsafeBytes { try spool.writeAll($0) }
                    progress?.advance(by: count)
                    counts.append(Int64(count))
                    starts.append(starts.last! + Int64(block.count))
                })
            try validator.finish()
        } catch let error as SystemError {
            throw IndexError(error)
        }
        let path = directory.path + "/" + IndexDirectory.pendingPrefix + "texts.sal"
        let writer = SectionFileWriter(kind: "texts")
        writer.add("counts", counts)
        writer.add("starts", starts)
        writer.add("bytes", bytesOfFile: spoolPath, count: Int(starts.last!))
        let (bytes, crc) = try writer.write(to: path)
        return (WrittenFile(path: path, record: IndexManifest.FileRecord(bytes: bytes, crc32: crc)), Int(counts.reduce(0, +)))
    }
}

/// One input batch's article records (ids and lines only) and their bodies as one compressed block.
private struct CompressedBodies: Sendable {
    var records: DecodedBatch
    var block: [UInt8]
    var count: Int
}

/// The articles added to an index since its base segment was written: the tail segment's contents.
package struct TailContents: Sendable {
    /// The rows' metadata and TF-IDF rows (numbered from `firstRow` in the index).
    package var articles: [ArticleMetadata]
    package var matrix: CSRMatrix
    package var firstRow: Int
    /// Reduced vectors and partitions (approximate methods; partitions empty in the exhaustive mode).
    package var vectors: DenseMatrix?
    package var partitionOfRow: [Int32]
    /// Rows (of the whole index) of deleted articles: they stay stored, unlisted, until compaction.
    package var deleted = RowSet()
    /// Clusters with one assignment per row of the whole index (nil: none stored).
    package var clusters: IndexClusters?
    /// The tail rows' bodies (nil: the index keeps no texts).
    package var texts: TextBlocks?

    package init(articles: [ArticleMetadata], matrix: CSRMatrix, firstRow: Int, vectors: DenseMatrix?, partitionOfRow: [Int32]) {
        self.articles = articles
        self.matrix = matrix
        self.firstRow = firstRow
        self.vectors = vectors
        self.partitionOfRow = partitionOfRow
    }
}

/// Writes index generations into an index directory (see `IndexDirectory`).
package enum IndexWriter {
    /// Writes `contents` as a new generation of one base segment; returns its number.
    @discardableResult
    package static func write(_ contents: IndexContents, session: IndexWriterSession, record: ChangeRecord?) throws -> Int {
        try session.publish(record: record) { folder in
            var files = SavedFiles(folder: folder)
            try files.save(modelFile(contents.model), "model.sal")
            try files.save(articlesFile(contents.articles), "articles.sal")
            try files.save(matrixFile(contents.matrix), "matrix.sal")
            try files.save(postingsFile(of: contents.matrix), "postings.sal")
            try files.save(neighborsFile(contents.lists), "neighbors.sal")
            if let dense = contents.dense { try files.save(denseFile(dense), "dense.sal") }
            if let clusters = contents.clusters { try files.save(clusters) }
            switch contents.texts {
            case .blocks(let blocks)?: try files.save(textsFile(blocks), "texts.sal")
            case .file(let written)?: try files.adopt(written, as: "texts.sal")
            case nil: break
            }
            let manifest = IndexManifest(
                created: Self.now(), articleCount: contents.articles.count,
                vocabularySize: contents.model.vocabulary.count, storedEntries: contents.matrix.storedCount,
                k: contents.lists.k, method: contents.method, measuredRecall: contents.measuredRecall,
                configuration: contents.model.configuration, modelDocumentCount: contents.model.documentCount,
                sources: contents.sources, addedSinceFit: contents.addedSinceFit,
                addedOutOfVocabularyRate: contents.addedOutOfVocabularyRate,
                denseDimensions: contents.dense?.vectors.dimensions, partitions: contents.dense?.partitions?.count,
                partitioned: contents.partitioned, files: files.records, buildSeconds: contents.buildSeconds)
            try writeManifest(manifest, to: folder)
        }
    }

    /// Publishes a generation equal to `index`'s live one with its tail segment replaced by `tail` and
    /// its lists by `lists` (for every row, base and tail), with the tail's deleted rows and clusters:
    /// the base segment's files and the model are hard-linked, not copied, so this costs O(tail rows +
    /// lists + rows / 8). `update` adjusts the manifest (counts since the fit, sources, timings).
    /// Returns the generation's number.
    @discardableResult
    package static func writeTail(_ tail: TailContents, lists: NeighborLists, over index: Index, session: IndexWriterSession,
                                  record: ChangeRecord?, update: (inout IndexManifest) -> Void) throws -> Int {
        precondition(tail.firstRow == index.baseRowCount && lists.rowCount == tail.firstRow + tail.articles.count,
                     "IndexWriter.writeTail: the tail must follow the base segment and the lists cover every row")
        let live = index.generationPath
        return try session.publish(record: record) { folder in
            var manifest = index.manifest
            var files = SavedFiles(folder: folder)
            let baseFiles = ["model.sal", "articles.sal", "matrix.sal", "postings.sal", "dense.sal"] + (tail.texts == nil ? [] : ["texts.sal"])
            try files.link(baseFiles, from: live, records: manifest.files)
            try files.save(articlesFile(tail.articles), "articles.tail.sal")
            try files.save(matrixFile(tail.matrix), "matrix.tail.sal")
            try files.save(postingsFile(of: tail.matrix, firstRow: tail.firstRow), "postings.tail.sal")
            if let vectors = tail.vectors {
                let writer = SectionFileWriter(kind: "dense")
                writer.add("shape", [Int64(vectors.rowCount), Int64(vectors.columnCount)])
                writer.add("vectors", vectors.values)
                writer.add("partitionOfRow", tail.partitionOfRow)
                try files.save(writer, "dense.tail.sal")
            }
            try files.save(neighborsFile(lists), "neighbors.sal")
            if !tail.deleted.isEmpty {
                let writer = SectionFileWriter(kind: "deleted")
                writer.add("rows", tail.deleted.sorted.map { Int32($0) })
                try files.save(writer, "deleted.sal")
            }
            if let clusters = tail.clusters { try files.save(clusters) }
            if let texts = tail.texts { try files.save(textsFile(texts), "texts.tail.sal") }
            manifest.files = files.records
            manifest.created = Self.now()
            manifest.articleCount = lists.rowCount
            manifest.deletedRows = tail.deleted.isEmpty ? nil : tail.deleted.count
            manifest.tailRows = tail.articles.count
            manifest.storedEntries = index.opened.segments[0].rows.indices.count + tail.matrix.storedCount
            update(&manifest)
            try writeManifest(manifest, to: folder)
        }
    }

    /// The files of a generation folder being filled (saved, or hard-linked from the live generation),
    /// with their sizes and checksums for the manifest.
    struct SavedFiles {
        let folder: String
        var records: [String: IndexManifest.FileRecord] = [:]

        /// Hard-links those of `names` that the generation at `generation` holds (unchanged files keep
        /// their records).
        mutating func link(_ names: some Sequence<String>, from generation: String,
                           records existing: [String: IndexManifest.FileRecord]) throws {
            for name in names {
                guard let record = existing[name] else { continue }
                try System.link(generation + "/" + name, as: folder + "/" + name)
                records[name] = record
            }
        }

        mutating func save(_ writer: SectionFileWriter, _ name: String) throws {
            let (bytes, crc) = try writer.write(to: folder + "/" + name)
            records[name] = IndexManifest.FileRecord(bytes: bytes, crc32: crc)
        }

        /// Saves the assignments (`clusters.sal`) and descriptions (`clusters.json`).
        mutating func save(_ clusters: IndexClusters) throws {
            let writer = SectionFileWriter(kind: "clusters")
            writer.add("topics", clusters.topics?.assignments ?? [])
            writer.add("stories", clusters.stories?.assignments ?? [])
            try save(writer, "clusters.sal")
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try save(try encoder.encode(clusters), "clusters.json")
        }

        /// Moves a file written earlier in the index directory (`IndexWriterSession.writeTexts`) into the folder.
        mutating func adopt(_ written: WrittenFile, as name: String) throws {
            try System.rename(written.path, to: folder + "/" + name)
            records[name] = written.record
        }

        mutating func save(_ data: Data, _ name: String) throws {
            try writeSynced(data, to: folder + "/" + name)
            records[name] = IndexManifest.FileRecord(bytes: data.count, crc32: data.withUnsafeBytes { CRC32.checksum($0) })
        }
    }

    private static func now() -> String { ISO8601DateFormatter().string(from: Date()) }

    static func writeManifest(_ manifest: IndexManifest, to folder: String) throws {
        var manifest = manifest
        // Version 1 without a tail segment and deleted rows: such an index stays readable by earlier releases.
        if (manifest.tailRows ?? 0) == 0 { manifest.tailRows = nil }
        if (manifest.deletedRows ?? 0) == 0 { manifest.deletedRows = nil }
        manifest.version = manifest.lowestSufficientVersion
        manifest.writtenBy = "seealso " + SeeAlsoVersion.current
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data = try encoder.encode(manifest)
        try writeSynced(data, to: folder + "/manifest.json")
        try writeSynced(Data(IndexManifest.checksumText(of: data).utf8), to: folder + "/" + IndexManifest.checksumFile)
    }

    static func denseFile(_ dense: DenseSection) -> SectionFileWriter {
        let writer = SectionFileWriter(kind: "dense")
        let vectors = dense.vectors
        writer.add("shape", [Int64(vectors.rowCount), Int64(vectors.dimensions)])
        writer.add("vectors", count: vectors.rowCount * vectors.dimensions, of: Float.self) { emit in
            try vectors.forEachBlock(blockRows: 65_536) { block in try block.values.withUnsafeBytes(emit) }
        }
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
        // Taxonomy sections only where some article has values (an index without them reads as empty).
        for field in TaxonomyField.allCases where articles.contains(where: { !$0.taxonomy[field].isEmpty }) {
            writer.addStrings(field.rawValue, articles.map { ArticleTable.joined($0.taxonomy[field]) })
        }
        writer.add("date", articles.map { $0.date?.secondsSinceEpoch ?? Int64.min })
        writer.add("dateHasTime", articles.map { UInt8($0.date?.hasTime == true ? 1 : 0) })
        writer.add("dateOffset", articles.map { Int32($0.date?.utcOffsetSeconds ?? 0) })
        // Rows sorted by id bytes, for binary search by id.
        let order = (0..<articles.count).sorted { articles[$0].id.utf8.lexicographicallyPrecedes(articles[$1].id.utf8) }
        writer.add("idOrder", order.map { Int32($0) })
        return writer
    }

    static func textsFile(_ texts: TextBlocks) -> SectionFileWriter {
        let writer = SectionFileWriter(kind: "texts")
        writer.add("counts", texts.counts.map { Int64($0) })
        var starts: [Int64] = [0]
        for block in texts.blocks { starts.append(starts.last! + Int64(block.count)) }
        writer.add("starts", starts)
        writer.add("bytes", chunks: texts.blocks)
        return writer
    }

    static func matrixFile(_ matrix: CSRMatrix) -> SectionFileWriter {
        let writer = SectionFileWriter(kind: "matrix")
        writer.add("shape", [Int64(matrix.rowCount), Int64(matrix.columnCount)])
        writer.add("rowStarts", matrix.rowStarts)
        writer.add("columns", matrix.columns)
        writer.add("values", matrix.values)
        return writer
    }

    /// The postings of `matrix`'s rows (numbered from `firstRow`), made while the file is written in
    /// blocks of at most `postingsBlockEntries` entries (128 MiB), never held whole: the same bytes as
    /// `SparsePostings(matrix, firstRow:)`'s arrays. Each block is made on every worker
    /// (`PostingsBlocks`, whose counting pass runs here, before the file is written).
    static func postingsFile(of matrix: CSRMatrix, firstRow: Int = 0) -> SectionFileWriter {
        let writer = SectionFileWriter(kind: "postings")
        let blocks = PostingsBlocks(matrix, firstRow: firstRow, blockEntries: postingsBlockEntries)
        writer.add("columnStarts", blocks.columnStarts)
        for (name, part) in [("rows", SparsePostings.Part.rows), ("values", .values)] {
            writer.add(name, count: blocks.columnStarts[matrix.columnCount], of: UInt32.self) { emit in
                try blocks.forEachBlock(part, emit)
            }
        }
        return writer
    }

    static let postingsBlockEntries = 1 << 25

    static func neighborsFile(_ lists: NeighborLists) -> SectionFileWriter {
        let writer = SectionFileWriter(kind: "lists")
        writer.add("k", [Int64(lists.k)])
        writer.add("ids", lists.ids)
        writer.add("scores", lists.scores)
        return writer
    }
}
