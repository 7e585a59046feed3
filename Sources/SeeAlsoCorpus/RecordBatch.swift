/// Raw records read in input order, not yet decoded: lines of JSONL, rows of CSV, or files of a folder.
///
/// Batches are produced sequentially by `CorpusReader.nextBatch()` and can be decoded on any thread.
package struct RecordBatch: Sendable {
    /// Position of this batch in the input (0, 1, 2, …).
    package let sequence: Int
    /// Which input of the reader the batch comes from.
    let source: Int
    let bytes: [UInt8]
    let records: [RawRecord]

    init(sequence: Int, source: Int = 0, bytes: [UInt8], records: [RawRecord]) {
        self.sequence = sequence
        self.source = source
        self.bytes = bytes
        self.records = records
    }

    /// Number of records, including ones already known to be invalid.
    package var count: Int { records.count }
}

/// One record's bytes inside its batch, the line where it starts, and what the reader already knows.
struct RawRecord: Sendable {
    var start: Int
    var count: Int
    var line: Int
    /// The relative path of a folder's file (its id).
    var name: String? = nil
    /// Set when the reader itself rejected the record (e.g. over the size limit).
    var error: CorpusError? = nil
}

/// What a worker turns into a `DecodedBatch` (`CorpusReader.decode(_:)`): a batch the reader read,
/// or a byte range of a plain file that the worker reads itself.
package struct CorpusPiece: Sendable {
    /// Position of this piece in the input (0, 1, 2, …).
    package let sequence: Int
    /// Which input of the reader the piece comes from.
    let source: Int
    let content: Content

    enum Content: Sendable {
        case read(RecordBatch)
        case unread(PlainFileRanges, index: Int)
    }
}

/// A batch after decoding: each record became an article or an error, in input order.
package struct DecodedBatch: Sendable {
    package let sequence: Int
    package var records: [DecodedRecord]
    /// Set when the batch is one byte range of a file read on its own: its lines are numbered from 1.
    package var rangeLines: RangeLines?

    package init(sequence: Int, records: [DecodedRecord]) {
        self.sequence = sequence
        self.records = records
    }
}

/// A batch read as one byte range of a file (`PlainFileRanges`): its records' lines count from 1 at
/// the range's first line, and it holds `lineCount` lines, blank ones included. `CorpusValidator`
/// adds the lines of the file's earlier ranges, in input order.
package struct RangeLines: Sendable {
    /// Which input of the reader the range belongs to (lines restart at 1 in each input).
    let source: Int
    let lineCount: Int
}

package enum DecodedRecord: Sendable {
    case article(Article, line: Int)
    case invalid(CorpusError)

    package var article: Article? {
        if case .article(let article, _) = self { return article }
        return nil
    }
}
