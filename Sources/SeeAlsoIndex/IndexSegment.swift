import SeeAlsoCorpus
import SeeAlsoSimilarity

/// A run of consecutive articles of an index, read in place from its own files: their metadata
/// (`articles`), TF-IDF rows (`matrix`), postings numbered with the index's global rows (`postings`)
/// and, for the approximate methods, reduced vectors and partitions (`dense`).
///
/// An index has a base segment (rows 0..<b, written by `build` or a compaction) and, after `add`, a tail
/// segment holding every article added since (rows b..<n, files `*.tail.sal`). `add` rewrites only the
/// tail (and the lists), so its cost grows with the articles added, not with the archive; when the
/// tail outgrows an eighth of the base, `add` writes one base segment again.
struct IndexSegment: @unchecked Sendable {
    /// The file-name suffix of each segment, in order: `matrix.sal`, then `matrix.tail.sal`.
    static let suffixes = ["", ".tail"]

    let firstRow: Int
    let articles: ArticleTable
    /// This segment's rows (CSR; its starts index its own columns and values).
    let rows: SparseBuffers
    /// The postings of this segment's rows, with the index's global row numbers.
    let postings: SparseBuffers
    /// Reduced vectors (`vectors`, count × d) and partitions (`partitionOfRow`); the base segment's file
    /// also holds the LSA projection and the centroids.
    let dense: SectionFileReader?
    /// The articles' bodies (`TextBlocks` sections), when the index keeps them.
    let texts: SectionFileReader?
    let files: [SectionFileReader]

    /// Opens the segment's files with `open(name, kind)` (which checks sizes and checksums).
    init(suffix: String, firstRow: Int, dense hasDense: Bool, texts hasTexts: Bool,
         open: (String, String) throws -> SectionFileReader) throws {
        let articleFile = try open("articles\(suffix).sal", "articles")
        let matrix = try open("matrix\(suffix).sal", "matrix")
        let postingFile = try open("postings\(suffix).sal", "postings")
        dense = hasDense ? try open("dense\(suffix).sal", "dense") : nil
        texts = hasTexts ? try open("texts\(suffix).sal", "texts") : nil
        files = [articleFile, matrix, postingFile] + (dense.map { [$0] } ?? []) + (texts.map { [$0] } ?? [])
        self.firstRow = firstRow
        articles = try ArticleTable(articleFile)
        rows = SparseBuffers(starts: try matrix.array("rowStarts"), indices: try matrix.array("columns"), values: try matrix.array("values"))
        postings = SparseBuffers(starts: try postingFile.array("columnStarts"), indices: try postingFile.array("rows"),
                                 values: try postingFile.array("values"))
        guard rows.starts.count == articles.count + 1, rows.starts.last == rows.indices.count, rows.indices.count == rows.values.count else {
            throw IndexError.corrupt(path: matrix.path, reason: "the matrix disagrees with the \(articles.count) articles of its segment")
        }
        guard postings.indices.count == postings.values.count, postings.starts.last == postings.indices.count else {
            throw IndexError.corrupt(path: postingFile.path, reason: "postings disagree with their rows and values")
        }
        guard Self.isMonotonic(rows.starts) else { throw IndexError.corrupt(path: matrix.path, reason: "row starts out of order") }
        guard Self.isMonotonic(postings.starts) else { throw IndexError.corrupt(path: postingFile.path, reason: "column starts out of order") }
        // Every stored id in range, once per open: rows name their segment's articles, columns the vocabulary
        // (checked by the caller against the vocabulary with `columnsBelow`).
        guard Self.allIn(postings.indices, Int32(firstRow)..<Int32(firstRow + articles.count)) else {
            throw IndexError.corrupt(path: postingFile.path, reason: "a posting names a row outside rows \(firstRow)..<\(firstRow + articles.count)")
        }
    }

    /// Whether every column of the segment's rows is below `columns` (the vocabulary size).
    func columnsBelow(_ columns: Int) -> Bool { Self.allIn(rows.indices, 0..<Int32(clamping: columns)) }

    private static func isMonotonic(_ starts: UnsafeBufferPointer<Int>) -> Bool {
        starts.first == 0 && zip(starts, starts.dropFirst()).allSatisfy { $0 <= $1 }
    }

    /// Whether every value lies in `range`: a branch-free min/max pass over the buffer.
    private static func allIn(_ values: UnsafeBufferPointer<Int32>, _ range: Range<Int32>) -> Bool {
        guard !values.isEmpty else { return true }
        guard !range.isEmpty else { return false }
        var low = Int32.max, high = Int32.min
        for value in values {
            low = min(low, value)
            high = max(high, value)
        }
        return low >= range.lowerBound && high < range.upperBound
    }

    var count: Int { articles.count }

    /// The segment's bodies as stored (blocks copied, not decompressed); nil when it keeps none.
    func textBlocks() throws -> TextBlocks? {
        guard let texts else { return nil }
        let counts: UnsafeBufferPointer<Int64> = try texts.array("counts")
        let starts: UnsafeBufferPointer<Int64> = try texts.array("starts")
        let bytes: UnsafeBufferPointer<UInt8> = try texts.array("bytes")
        guard starts.count == counts.count + 1, starts.first == 0, starts.last == Int64(bytes.count),
              zip(starts, starts.dropFirst()).allSatisfy({ $0 <= $1 }), counts.allSatisfy({ $0 > 0 }),
              counts.reduce(0, +) == Int64(count) else {
            throw IndexError.corrupt(path: texts.path, reason: "text blocks disagree with the \(count) articles of the segment")
        }
        return TextBlocks(blocks: (0..<counts.count).map { Array(bytes[Int(starts[$0])..<Int(starts[$0 + 1])]) },
                          counts: counts.map { Int($0) })
    }
    var range: Range<Int> { firstRow..<firstRow + count }
}
