import Foundation
import SeeAlsoCorpus
import SeeAlsoSimilarity
import SeeAlsoSupport
import SeeAlsoVectorize

/// A SeeAlso index opened for reading. Every array is read in place from memory-mapped files,
/// so opening costs O(number of files) and a query touches only the pages it needs.
///
/// `open(verify:)` checks the manifest's CRC-32 of every file up to `verifyLimitBytes` always
/// (all of a small index), and of every file when `verify` is true.
package final class Index: @unchecked Sendable {
    package let path: String
    /// The generation's arrays, read in place (see `OpenedGeneration`).
    let opened: OpenedGeneration

    package var generationPath: String { opened.generationPath }
    package var manifest: IndexManifest { opened.manifest }
    package var articleCount: Int { opened.articleCount }
    /// Topic and story descriptions, when `seealso cluster` stored them.
    package var clusters: IndexClusters? { opened.clusters }
    /// Rows of deleted articles (stored until compaction, never listed nor found by id).
    package var deleted: RowSet { opened.deleted }

    /// Files up to this size are always checksummed on open.
    package static let verifyLimitBytes = 64 << 20

    /// Opens the live generation. A writer publishing meanwhile cannot make this fail: when the
    /// generation read from `CURRENT` is replaced while its files are being opened, the new one is opened.
    package init(path: String, verify: Bool = false) throws {
        self.path = path
        opened = try OpenedGeneration.live(of: path, verify: verify)
    }

    package var vocabularySize: Int { opened.vocabulary.count }
    package var k: Int { manifest.k }

    /// Total bytes of the index files.
    package var byteCount: Int { opened.files.reduce(0) { $0 + $1.byteCount } }

    /// Articles in the base segment (the rest were added since and are in the tail).
    package var baseRowCount: Int { opened.segments[0].count }

    /// The segment holding `row`.
    private func segment(_ row: Int) -> IndexSegment { opened.segments.count > 1 && row >= opened.segments[1].firstRow ? opened.segments[1] : opened.segments[0] }

    /// Articles in the index (rows less deleted rows).
    package var liveArticleCount: Int { articleCount - deleted.count }

    /// Whether `row` holds a deleted article.
    package func isDeleted(_ row: Int) -> Bool { deleted.contains(row) }

    /// The row of the (live) article with `id`, by binary search over ids in byte order in each
    /// segment. O(log n). An id occurs at most once in a segment (deleted rows of the tail are written
    /// without id) and at most once live: the tail, newer, is searched first.
    package func row(ofId id: String) -> Int? {
        guard !id.isEmpty else { return nil }
        for segment in opened.segments.reversed() {
            if let local = segment.articles.row(ofId: id), !deleted.contains(segment.firstRow + local) { return segment.firstRow + local }
        }
        return nil
    }

    /// The column of `term` in the (byte-sorted) vocabulary, by binary search. O(log V).
    package func column(ofTerm term: UnsafeBufferPointer<UInt8>) -> Int? { opened.vocabulary.search(term, order: nil) }

    package func term(_ column: Int) -> String { opened.vocabulary[column] }
    package func idf(_ column: Int) -> Double { opened.idf[column] }

    package func id(_ row: Int) -> String { field(.id, row) }
    package func title(_ row: Int) -> String { field(.title, row) }
    package func date(_ row: Int) -> ArticleDate? { let segment = segment(row); return segment.articles.date(row - segment.firstRow) }
    package func url(_ row: Int) -> String? { optionalField(.url, row) }
    package func label(_ row: Int) -> String? { optionalField(.label, row) }
    package func event(_ row: Int) -> String? { optionalField(.event, row) }
    package func language(_ row: Int) -> String? { optionalField(.language, row) }
    package func taxonomy(_ row: Int) -> ArticleTaxonomy {
        let segment = segment(row)
        let local = row - segment.firstRow
        var taxonomy = ArticleTaxonomy()
        for field in TaxonomyField.allCases { taxonomy[field] = segment.articles.values(field, local) }
        return taxonomy
    }

    /// Whether `row` passes every filter (see `FieldFilter`).
    package func passes(_ filters: [FieldFilter], row: Int) -> Bool {
        filters.allSatisfy { hasAnyValue(of: $0.field, in: $0.values, row: row) == ($0.kind == .include) }
    }

    /// Whether `row` has a value of `field` in `values`. O(the row's values).
    package func hasAnyValue(of field: FilterField, in values: Set<String>, row: Int) -> Bool {
        switch field {
        case .label: return label(row).map(values.contains) ?? false
        case .language: return language(row).map(values.contains) ?? false
        case .taxonomy(let field):
            let segment = segment(row)
            return segment.articles.hasAnyValue(field, row - segment.firstRow, in: values)
        }
    }

    /// Seconds since 1970 of `row`'s date (Int64.min: undated), without building an `ArticleDate`.
    package func dateSeconds(_ row: Int) -> Int64 { let segment = segment(row); return segment.articles.dates[row - segment.firstRow] }

    private func field(_ field: ArticleTable.Field, _ row: Int) -> String {
        let segment = segment(row)
        return segment.articles[field, row - segment.firstRow]
    }

    private func optionalField(_ field: ArticleTable.Field, _ row: Int) -> String? {
        let segment = segment(row)
        return segment.articles.optional(field, row - segment.firstRow)
    }

    /// The rows and postings of every segment, read in place (the index stays open while they are used).
    package var rowStorage: RowStorage {
        .mapped(IndexedRows(parts: opened.segments.map { IndexedRows.Part(firstRow: $0.firstRow, rows: $0.rows) },
                            postings: opened.segments.map(\.postings), columnCount: opened.vocabulary.count), owner: self)
    }

    /// Every segment's postings (global rows), read in place while this index is open.
    package var postingBuffers: [SparseBuffers] { opened.segments.map(\.postings) }

    package func metadata(_ row: Int) -> ArticleMetadata {
        ArticleMetadata(id: id(row), title: title(row), date: date(row), url: url(row), label: label(row),
                        event: event(row), language: language(row), taxonomy: taxonomy(row))
    }

    /// Row `row` of the TF-IDF matrix.
    package func vector(_ row: Int) -> SparseVector {
        let segment = segment(row)
        let entries = segment.rows.entries(row - segment.firstRow)
        return SparseVector(columns: Array(entries.indices), values: Array(entries.values))
    }

    /// The topic cluster of `row` (nil when none is stored).
    package func topic(_ row: Int) -> Int? {
        row < opened.topicAssignments.count && opened.topicAssignments[row] >= 0 ? Int(opened.topicAssignments[row]) : nil
    }

    /// The story cluster of `row` (nil when none is stored).
    package func story(_ row: Int) -> Int? {
        row < opened.storyAssignments.count && opened.storyAssignments[row] >= 0 ? Int(opened.storyAssignments[row]) : nil
    }

    /// The precomputed list of `row` (best first, without padding).
    package func storedList(_ row: Int) -> [(row: Int, score: Float)] {
        (row * k..<(row + 1) * k).compactMap { slot in
            opened.listIds[slot] >= 0 ? (Int(opened.listIds[slot]), opened.listScores[slot]) : nil
        }
    }

    /// Materializes the TF-IDF model (vocabulary and idf as arrays): O(V). For `add` and exports.
    package func model() -> TfidfModel {
        TfidfModel(configuration: manifest.configuration, vocabulary: (0..<opened.vocabulary.count).map { opened.vocabulary[$0] },
                   idf: Array(opened.idf), documentCount: manifest.modelDocumentCount)
    }

    /// Materializes the matrix: O(nnz).
    package func matrix() -> CSRMatrix { rowStorage.matrix }

    /// The matrix of the rows in the tail segment (none when there is no tail).
    package func tailMatrix() -> CSRMatrix {
        guard opened.segments.count > 1 else { return CSRMatrix(rowCount: 0, columnCount: opened.vocabulary.count, rowStarts: [0], columns: [], values: []) }
        return CSRMatrix(copying: opened.segments[1].rows, columnCount: opened.vocabulary.count)
    }

    package func allMetadata() -> [ArticleMetadata] { (0..<articleCount).map(metadata) }

    /// Whether every segment keeps its articles' bodies (so the model can be refitted from the index).
    package var keepsTexts: Bool { opened.segments.allSatisfy { $0.texts != nil } }

    /// The bodies of every row (deleted ones included), as stored; nil unless `keepsTexts`.
    package func textBlocks() throws -> TextBlocks? {
        guard keepsTexts else { return nil }
        var all = TextBlocks()
        for segment in opened.segments { all.append(try segment.textBlocks()!) }
        return all
    }

    /// The tail segment's bodies; nil unless `keepsTexts` (empty without a tail).
    package func tailTextBlocks() throws -> TextBlocks? {
        guard keepsTexts else { return nil }
        return try opened.segments.count > 1 ? opened.segments[1].textBlocks() : TextBlocks()
    }

    /// Every live article, whole (metadata and body), in index order: what a refit reads. O(text).
    package func liveArticles() throws -> [Article] {
        guard let texts = try textBlocks() else {
            throw IndexError.invalid("\(path): this index keeps no article texts (built with --no-texts or by an earlier release), "
                                     + "so it cannot be refitted from itself; rebuild it with `seealso build`")
        }
        let bodies: [String]
        do { bodies = try texts.bodies() } catch { throw IndexError.corrupt(path: generationPath, reason: "\(error)") }
        return (0..<articleCount).filter { !isDeleted($0) }.map { row in
            let meta = metadata(row)
            return Article(id: meta.id, title: meta.title, body: bodies[row], date: meta.date, url: meta.url, label: meta.label,
                           event: meta.event, language: meta.language, taxonomy: meta.taxonomy)
        }
    }

    /// The metadata of the rows in the tail segment.
    package func tailMetadata() -> [ArticleMetadata] { (baseRowCount..<articleCount).map(metadata) }

    /// The stored lists as `NeighborLists`.
    package func lists() -> NeighborLists {
        NeighborLists(rowCount: articleCount, k: k, ids: Array(opened.listIds), scores: Array(opened.listScores))
    }

    /// The similarity index the lists were built with, restored from the stored files (materialized:
    /// O(nnz) time and memory), ready to take new rows. An approximate index without its stored LSA
    /// and partitions (`dense.sal`) cannot be restored; its lists are then extended exactly.
    package func similarityIndex() throws -> any SimilarityIndex {
        let lists = lists()
        guard manifest.method != "exact", let dense = opened.segments[0].dense else {
            return ExactIndex(storage: rowStorage, lists: lists, deleted: deleted)
        }
        // Sizes and partition numbers were checked on open; the coordinates are checked here, where they are read.
        let projection = try Self.finite(dense, "projection")
        let singularValues = try Self.finite(dense, "singularValues")
        let centroids = try Self.finite(dense, "centroids")
        let d = singularValues.count
        var partitionOfRow = try reducedRows(dimension: d, segments: opened.segments[...], loadVectors: false).partitionOfRow
        // Deleted rows belong to no partition (the base segment's file still names theirs).
        if !partitionOfRow.isEmpty { for row in deleted.sorted { partitionOfRow[row] = -1 } }
        var options = manifest.partitioned ?? PartitionedIndex.Options(k: k)
        options.k = k
        let partitions = partitionOfRow.isEmpty ? nil : Partitions(
            centroids: DenseMatrix(rowCount: centroids.count / d, columnCount: d, values: Array(centroids)),
            partitionOfRow: partitionOfRow)
        if partitions == nil { options.candidates = .exhaustive }
        let svd = RandomizedSVD(singularValues: Array(singularValues),
                                rightSingularVectors: DenseMatrix(rowCount: opened.vocabulary.count, columnCount: d, values: Array(projection)),
                                fittedRowCount: manifest.modelDocumentCount)
        // The vectors were checked above: loading them later cannot fail.
        return PartitionedIndex(storage: rowStorage, lists: lists, options: options, svd: svd,
                                vectors: { (try? self.reducedRows(dimension: d, segments: self.opened.segments[...]).vectors) ?? DenseMatrix(rowCount: 0, columnCount: d) },
                                partitions: partitions, deleted: deleted)
    }

    /// The reduced vectors (rows × d; none unless `loadVectors`, but checked to be finite) and partitions
    /// (empty in the exhaustive mode) of `segments`, from their `dense` files (sizes checked on open).
    private func reducedRows(dimension d: Int, segments chosen: ArraySlice<IndexSegment>,
                             loadVectors: Bool = true) throws -> (vectors: DenseMatrix, partitionOfRow: [Int32]) {
        var vectors = DenseMatrix(rowCount: 0, columnCount: d)
        var partitionOfRow: [Int32] = []
        for segment in chosen {
            guard let dense = segment.dense else { continue }
            let values = try Self.finite(dense, "vectors")
            partitionOfRow += try dense.array("partitionOfRow", as: Int32.self)
            if loadVectors { vectors.append(DenseMatrix(rowCount: segment.count, columnCount: d, values: Array(values))) }
        }
        return (vectors, partitionOfRow)
    }

    /// Section `name` of a dense file, after checking that every value is finite.
    private static func finite(_ file: SectionFileReader, _ name: String) throws -> UnsafeBufferPointer<Float> {
        let values: UnsafeBufferPointer<Float> = try file.array(name)
        if let position = values.firstIndex(where: { !$0.isFinite }) {
            throw IndexError.corrupt(path: file.path, reason: "\(name) value \(position) is \(values[position])")
        }
        return values
    }

    /// The tail segment's reduced vectors and partitions.
    package func tailReducedRows(dimension d: Int) throws -> (vectors: DenseMatrix, partitionOfRow: [Int32]) {
        try reducedRows(dimension: d, segments: opened.segments.dropFirst())
    }
}

/// A sparse vector with sorted, distinct columns (a query's TF-IDF weights).
package struct SparseVector: Sendable, Equatable {
    package var columns: [Int32]
    package var values: [Float]

    package init(columns: [Int32], values: [Float]) {
        self.columns = columns
        self.values = values
    }

    /// The canonical score (`CanonicalScores`) of two vectors. O(|a| + |b|).
    package func dot(_ other: SparseVector) -> Float {
        columns.withUnsafeBufferPointer { aColumns in
            values.withUnsafeBufferPointer { aValues in
                other.columns.withUnsafeBufferPointer { bColumns in
                    other.values.withUnsafeBufferPointer { bValues in
                        CanonicalScores.dot(columns: aColumns, values: aValues, columns: bColumns, values: bValues)
                    }
                }
            }
        }
    }
}
