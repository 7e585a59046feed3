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

/// A batch after decoding: each record became an article or an error, in input order.
package struct DecodedBatch: Sendable {
    package let sequence: Int
    package var records: [DecodedRecord]

    package init(sequence: Int, records: [DecodedRecord]) {
        self.sequence = sequence
        self.records = records
    }
}

package enum DecodedRecord: Sendable {
    case article(Article, line: Int)
    case invalid(CorpusError)

    package var article: Article? {
        if case .article(let article, _) = self { return article }
        return nil
    }
}
