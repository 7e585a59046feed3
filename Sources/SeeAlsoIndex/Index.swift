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
public final class Index: @unchecked Sendable {
    public let path: String
    public let generationPath: String
    public let manifest: IndexManifest
    public let articleCount: Int

    let vocabulary: StringTable
    let idf: UnsafeBufferPointer<Double>
    let ids: StringTable
    let titles: StringTable
    let urls: StringTable
    let labels: StringTable
    let events: StringTable
    let languages: StringTable
    let dates: UnsafeBufferPointer<Int64>
    let dateHasTime: UnsafeBufferPointer<UInt8>
    let idOrder: UnsafeBufferPointer<Int32>
    let rowStarts: UnsafeBufferPointer<Int64>
    let columns: UnsafeBufferPointer<Int32>
    let values: UnsafeBufferPointer<Float>
    let postingStarts: UnsafeBufferPointer<Int64>
    let postingRows: UnsafeBufferPointer<Int32>
    let postingValues: UnsafeBufferPointer<Float>
    let listIds: UnsafeBufferPointer<Int32>
    let listScores: UnsafeBufferPointer<Float>
    let topicAssignments: UnsafeBufferPointer<Int32>
    let storyAssignments: UnsafeBufferPointer<Int32>
    /// Topic and story descriptions, when `seealso cluster` stored them.
    public let clusters: IndexClusters?
    private let files: [SectionFileReader]

    /// Files up to this size are always checksummed on open.
    public static let verifyLimitBytes = 64 << 20

    public init(path: String, verify: Bool = false) throws {
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
        let articles = try open("articles.sal", "articles")
        let matrix = try open("matrix.sal", "matrix")
        let postings = try open("postings.sal", "postings")
        let lists = try open("neighbors.sal", "lists")
        var all = [model, articles, matrix, postings, lists]
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
        ids = try articles.strings("id")
        titles = try articles.strings("title")
        urls = try articles.strings("url")
        labels = try articles.strings("label")
        events = try articles.strings("event")
        languages = try articles.strings("lang")
        dates = try articles.array("date")
        dateHasTime = try articles.array("dateHasTime")
        idOrder = try articles.array("idOrder")
        rowStarts = try matrix.array("rowStarts")
        columns = try matrix.array("columns")
        values = try matrix.array("values")
        postingStarts = try postings.array("columnStarts")
        postingRows = try postings.array("rows")
        postingValues = try postings.array("values")
        listIds = try lists.array("ids")
        listScores = try lists.array("scores")
        articleCount = ids.count
        guard rowStarts.count == articleCount + 1, dates.count == articleCount, idOrder.count == articleCount,
              listIds.count == articleCount * manifest.k, postingStarts.count == vocabulary.count + 1,
              idf.count == vocabulary.count else {
            throw IndexError.corrupt(path: generation, reason: "files disagree on the number of articles or terms")
        }
    }

    public var vocabularySize: Int { vocabulary.count }
    public var k: Int { manifest.k }

    /// Total bytes of the index files.
    public var byteCount: Int { files.reduce(0) { $0 + $1.byteCount } }

    /// The row of the article with `id`, by binary search over ids in byte order. O(log n).
    public func row(ofId id: String) -> Int? {
        var key = id
        return key.withUTF8 { key in
            var low = 0
            var high = articleCount
            while low < high {
                let middle = (low + high) / 2
                let row = Int(idOrder[middle])
                if ids.utf8(row).lexicographicallyPrecedes(key) { low = middle + 1 } else { high = middle }
            }
            guard low < articleCount else { return nil }
            let row = Int(idOrder[low])
            return ids.utf8(row).elementsEqual(key) ? row : nil
        }
    }

    /// The column of `term` in the (byte-sorted) vocabulary, by binary search. O(log V).
    public func column(ofTerm term: UnsafeBufferPointer<UInt8>) -> Int? {
        var low = 0
        var high = vocabulary.count
        while low < high {
            let middle = (low + high) / 2
            if vocabulary.utf8(middle).lexicographicallyPrecedes(term) { low = middle + 1 } else { high = middle }
        }
        guard low < vocabulary.count, vocabulary.utf8(low).elementsEqual(term) else { return nil }
        return low
    }

    public func term(_ column: Int) -> String { vocabulary[column] }
    public func idf(_ column: Int) -> Double { idf[column] }

    public func id(_ row: Int) -> String { ids[row] }
    public func title(_ row: Int) -> String { titles[row] }
    public func date(_ row: Int) -> ArticleDate? {
        dates[row] == Int64.min ? nil : ArticleDate(secondsSinceEpoch: dates[row], hasTime: dateHasTime[row] != 0)
    }
    public func url(_ row: Int) -> String? { let value = urls[row]; return value.isEmpty ? nil : value }
    public func label(_ row: Int) -> String? { let value = labels[row]; return value.isEmpty ? nil : value }
    public func event(_ row: Int) -> String? { let value = events[row]; return value.isEmpty ? nil : value }
    public func language(_ row: Int) -> String? { let value = languages[row]; return value.isEmpty ? nil : value }

    public func metadata(_ row: Int) -> ArticleMetadata {
        ArticleMetadata(id: id(row), title: title(row), date: date(row), url: url(row), label: label(row),
                        event: event(row), language: language(row))
    }

    /// Row `row` of the TF-IDF matrix.
    public func vector(_ row: Int) -> SparseVector {
        let range = Int(rowStarts[row])..<Int(rowStarts[row + 1])
        return SparseVector(columns: Array(columns[range]), values: Array(values[range]))
    }

    /// The topic cluster of `row` (nil when none is stored).
    public func topic(_ row: Int) -> Int? {
        row < topicAssignments.count && topicAssignments[row] >= 0 ? Int(topicAssignments[row]) : nil
    }

    /// The story cluster of `row` (nil when none is stored).
    public func story(_ row: Int) -> Int? {
        row < storyAssignments.count && storyAssignments[row] >= 0 ? Int(storyAssignments[row]) : nil
    }

    /// The precomputed list of `row` (best first, without padding).
    public func storedList(_ row: Int) -> [(row: Int, score: Float)] {
        (row * k..<(row + 1) * k).compactMap { slot in
            listIds[slot] >= 0 ? (Int(listIds[slot]), listScores[slot]) : nil
        }
    }

    /// Materializes the TF-IDF model (vocabulary and idf as arrays): O(V). For `add` and exports.
    public func model() -> TfidfModel {
        TfidfModel(configuration: manifest.configuration, vocabulary: (0..<vocabulary.count).map { vocabulary[$0] },
                   idf: Array(idf), documentCount: manifest.modelDocumentCount)
    }

    /// Materializes the matrix: O(nnz). For `add`.
    public func matrix() -> CSRMatrix {
        CSRMatrix(rowCount: articleCount, columnCount: vocabulary.count, rowStarts: rowStarts.map { Int($0) },
                  columns: Array(columns), values: Array(values))
    }

    public func allMetadata() -> [ArticleMetadata] { (0..<articleCount).map(metadata) }

    /// The stored lists as `NeighborLists`.
    public func lists() -> NeighborLists {
        NeighborLists(rowCount: articleCount, k: k, ids: Array(listIds), scores: Array(listScores))
    }
}

/// A sparse vector with sorted, distinct columns.
public struct SparseVector: Sendable, Equatable {
    public var columns: [Int32]
    public var values: [Float]

    public init(columns: [Int32], values: [Float]) {
        self.columns = columns
        self.values = values
    }

    /// Σ a_t·b_t over shared columns, by merging the sorted column lists. O(|a| + |b|).
    public func dot(_ other: SparseVector) -> Float {
        var i = 0
        var j = 0
        var sum: Float = 0
        while i < columns.count && j < other.columns.count {
            let a = columns[i]
            let b = other.columns[j]
            if a == b {
                sum += values[i] * other.values[j]
                i += 1
                j += 1
            } else if a < b {
                i += 1
            } else {
                j += 1
            }
        }
        return sum
    }
}
