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
    package let generationPath: String
    package let manifest: IndexManifest
    package let articleCount: Int

    let vocabulary: StringTable
    let idf: UnsafeBufferPointer<Double>
    let articles: ArticleTable
    /// The TF-IDF matrix (CSR).
    let rowStarts: UnsafeBufferPointer<Int>
    let columns: UnsafeBufferPointer<Int32>
    let values: UnsafeBufferPointer<Float>
    /// The postings read in place (valid while this index is open).
    package let postingBuffers: PostingBuffers
    let listIds: UnsafeBufferPointer<Int32>
    let listScores: UnsafeBufferPointer<Float>
    let topicAssignments: UnsafeBufferPointer<Int32>
    let storyAssignments: UnsafeBufferPointer<Int32>
    /// The approximate methods' LSA vectors, projection and partitions (`dense.sal`), when stored.
    private let denseFile: SectionFileReader?
    /// Topic and story descriptions, when `seealso cluster` stored them.
    package let clusters: IndexClusters?
    private let files: [SectionFileReader]

    /// Files up to this size are always checksummed on open.
    package static let verifyLimitBytes = 64 << 20

    package init(path: String, verify: Bool = false) throws {
        self.path = path
        guard let generation = try IndexDirectory(path: path).liveGeneration() else {
            throw IndexError.notAnIndex(path: path, reason: "no CURRENT file (build one with `seealso build`)")
        }
        generationPath = generation
        let manifestPath = generation + "/manifest.json"
        guard let data = FileManager.default.contents(atPath: manifestPath) else {
            throw IndexError.corrupt(path: manifestPath, reason: "missing")
        }
        let manifest: IndexManifest
        do {
            manifest = try JSONDecoder().decode(IndexManifest.self, from: data)
        } catch {
            throw IndexError.corrupt(path: manifestPath, reason: "unreadable manifest (\(error))")
        }
        guard manifest.format == IndexManifest.formatName else {
            throw IndexError.notAnIndex(path: manifestPath, reason: "format \"\(manifest.format)\"")
        }
        guard manifest.version <= IndexManifest.currentVersion else {
            throw IndexError.corrupt(path: manifestPath, reason: "version \(manifest.version) is newer than this seealso reads (\(IndexManifest.currentVersion))")
        }
        self.manifest = manifest
        func open(_ name: String, _ kind: String) throws -> SectionFileReader {
            let filePath = generation + "/" + name
            guard let record = manifest.files[name] else {
                throw IndexError.corrupt(path: manifestPath, reason: "lists no \(name)")
            }
            guard FileManager.default.fileExists(atPath: filePath) else {
                throw IndexError.corrupt(path: filePath, reason: "missing")
            }
            let reader = try SectionFileReader(path: filePath, expectedKind: kind)
            guard reader.byteCount == record.bytes else {
                throw IndexError.corrupt(path: filePath, reason: "\(reader.byteCount) bytes, the manifest says \(record.bytes) (truncated or replaced)")
            }
            if verify || record.bytes <= Index.verifyLimitBytes {
                let crc = reader.checksum()
                guard crc == record.crc32 else {
                    throw IndexError.corrupt(path: filePath, reason: String(format: "checksum mismatch (CRC-32 %08x, manifest %08x)", crc, record.crc32))
                }
            }
            return reader
        }
        let model = try open("model.sal", "model")
        let articleFile = try open("articles.sal", "articles")
        let matrix = try open("matrix.sal", "matrix")
        let postings = try open("postings.sal", "postings")
        let lists = try open("neighbors.sal", "lists")
        var all = [model, articleFile, matrix, postings, lists]
        if manifest.files["dense.sal"] != nil {
            let dense = try open("dense.sal", "dense")
            all.append(dense)
            denseFile = dense
        } else {
            denseFile = nil
        }
        if manifest.files["clusters.sal"] != nil, manifest.files["clusters.json"] != nil {
            let clusterFile = try open("clusters.sal", "clusters")
            all.append(clusterFile)
            topicAssignments = try clusterFile.array("topics")
            storyAssignments = try clusterFile.array("stories")
            let jsonPath = generation + "/clusters.json"
            guard let json = FileManager.default.contents(atPath: jsonPath),
                  json.withUnsafeBytes({ CRC32.checksum($0) }) == manifest.files["clusters.json"]!.crc32 else {
                throw IndexError.corrupt(path: jsonPath, reason: "missing or checksum mismatch")
            }
            do {
                clusters = try JSONDecoder().decode(IndexClusters.self, from: json)
            } catch {
                throw IndexError.corrupt(path: jsonPath, reason: "unreadable (\(error))")
            }
        } else {
            topicAssignments = UnsafeBufferPointer(start: nil, count: 0)
            storyAssignments = UnsafeBufferPointer(start: nil, count: 0)
            clusters = nil
        }
        files = all
        vocabulary = try model.strings("vocabulary")
        idf = try model.array("idf")
        self.articles = try ArticleTable(articleFile)
        rowStarts = try matrix.array("rowStarts")
        columns = try matrix.array("columns")
        values = try matrix.array("values")
        postingBuffers = PostingBuffers(starts: try postings.array("columnStarts"), rows: try postings.array("rows"),
                                        values: try postings.array("values"))
        listIds = try lists.array("ids")
        listScores = try lists.array("scores")
        articleCount = self.articles.count
        guard rowStarts.count == articleCount + 1, listIds.count == articleCount * manifest.k,
              postingBuffers.starts.count == vocabulary.count + 1, idf.count == vocabulary.count else {
            throw IndexError.corrupt(path: generation, reason: "files disagree on the number of articles or terms")
        }
    }

    package var vocabularySize: Int { vocabulary.count }
    package var k: Int { manifest.k }

    /// Total bytes of the index files.
    package var byteCount: Int { files.reduce(0) { $0 + $1.byteCount } }

    /// The row of the article with `id`, by binary search over ids in byte order. O(log n).
    package func row(ofId id: String) -> Int? { articles.row(ofId: id) }

    /// The column of `term` in the (byte-sorted) vocabulary, by binary search. O(log V).
    package func column(ofTerm term: UnsafeBufferPointer<UInt8>) -> Int? { vocabulary.search(term, order: nil) }

    package func term(_ column: Int) -> String { vocabulary[column] }
    package func idf(_ column: Int) -> Double { idf[column] }

    package func id(_ row: Int) -> String { articles[.id, row] }
    package func title(_ row: Int) -> String { articles[.title, row] }
    package func date(_ row: Int) -> ArticleDate? { articles.date(row) }
    package func url(_ row: Int) -> String? { articles.optional(.url, row) }
    package func label(_ row: Int) -> String? { articles.optional(.label, row) }
    package func event(_ row: Int) -> String? { articles.optional(.event, row) }
    package func language(_ row: Int) -> String? { articles.optional(.language, row) }

    package func metadata(_ row: Int) -> ArticleMetadata {
        ArticleMetadata(id: id(row), title: title(row), date: date(row), url: url(row), label: label(row),
                        event: event(row), language: language(row))
    }

    /// Row `row` of the TF-IDF matrix.
    package func vector(_ row: Int) -> SparseVector {
        let range = Int(rowStarts[row])..<Int(rowStarts[row + 1])
        return SparseVector(columns: Array(columns[range]), values: Array(values[range]))
    }

    /// The topic cluster of `row` (nil when none is stored).
    package func topic(_ row: Int) -> Int? {
        row < topicAssignments.count && topicAssignments[row] >= 0 ? Int(topicAssignments[row]) : nil
    }

    /// The story cluster of `row` (nil when none is stored).
    package func story(_ row: Int) -> Int? {
        row < storyAssignments.count && storyAssignments[row] >= 0 ? Int(storyAssignments[row]) : nil
    }

    /// The precomputed list of `row` (best first, without padding).
    package func storedList(_ row: Int) -> [(row: Int, score: Float)] {
        (row * k..<(row + 1) * k).compactMap { slot in
            listIds[slot] >= 0 ? (Int(listIds[slot]), listScores[slot]) : nil
        }
    }

    /// Materializes the TF-IDF model (vocabulary and idf as arrays): O(V). For `add` and exports.
    package func model() -> TfidfModel {
        TfidfModel(configuration: manifest.configuration, vocabulary: (0..<vocabulary.count).map { vocabulary[$0] },
                   idf: Array(idf), documentCount: manifest.modelDocumentCount)
    }

    /// Materializes the matrix: O(nnz).
    package func matrix() -> CSRMatrix {
        CSRMatrix(rowCount: articleCount, columnCount: vocabulary.count, rowStarts: Array(rowStarts),
                  columns: Array(columns), values: Array(values))
    }

    /// Materializes the postings: O(nnz).
    package func postings() -> SparsePostings {
        SparsePostings(columnStarts: Array(postingBuffers.starts), rows: Array(postingBuffers.rows), values: Array(postingBuffers.values),
                       rowCount: articleCount)
    }

    package func allMetadata() -> [ArticleMetadata] { (0..<articleCount).map(metadata) }

    /// The stored lists as `NeighborLists`.
    package func lists() -> NeighborLists {
        NeighborLists(rowCount: articleCount, k: k, ids: Array(listIds), scores: Array(listScores))
    }

    /// The similarity index the lists were built with, restored from the stored files (materialized:
    /// O(nnz) time and memory), ready to take new rows. An approximate index without its stored LSA
    /// and partitions (`dense.sal`) cannot be restored; its lists are then extended exactly.
    package func similarityIndex() throws -> any SimilarityIndex {
        let matrix = matrix(), postings = postings(), lists = lists()
        guard manifest.method != "exact", let dense = denseFile else {
            return ExactIndex(matrix: matrix, postings: postings, lists: lists)
        }
        let shape: UnsafeBufferPointer<Int64> = try dense.array("shape")
        let d = shape.count == 2 ? Int(shape[1]) : 0
        let vectors: UnsafeBufferPointer<Float> = try dense.array("vectors")
        let projection: UnsafeBufferPointer<Float> = try dense.array("projection")
        let singularValues: UnsafeBufferPointer<Float> = try dense.array("singularValues")
        let centroids: UnsafeBufferPointer<Float> = try dense.array("centroids")
        let partitionOfRow: UnsafeBufferPointer<Int32> = try dense.array("partitionOfRow")
        guard d > 0, Int(shape[0]) == articleCount, vectors.count == articleCount * d, projection.count == vocabulary.count * d,
              singularValues.count == d, centroids.count % d == 0,
              partitionOfRow.isEmpty || partitionOfRow.count == articleCount else {
            throw IndexError.corrupt(path: generationPath + "/dense.sal", reason: "sections disagree with the index's articles and terms")
        }
        var options = manifest.partitioned ?? PartitionedIndex.Options(k: k)
        options.k = k
        let partitions = partitionOfRow.isEmpty ? nil : Partitions(
            centroids: DenseMatrix(rowCount: centroids.count / d, columnCount: d, values: Array(centroids)),
            partitionOfRow: Array(partitionOfRow))
        if partitions == nil { options.candidates = .exhaustive }
        let svd = RandomizedSVD(singularValues: Array(singularValues),
                                rightSingularVectors: DenseMatrix(rowCount: vocabulary.count, columnCount: d, values: Array(projection)),
                                fittedRowCount: manifest.modelDocumentCount)
        return PartitionedIndex(matrix: matrix, postings: postings, lists: lists, options: options, svd: svd,
                                vectors: DenseMatrix(rowCount: articleCount, columnCount: d, values: Array(vectors)),
                                partitions: partitions)
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
