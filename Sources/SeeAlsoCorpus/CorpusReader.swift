import Foundation

/// Input formats. `auto` chooses by the path: a directory is a folder of text files, `.csv`/`.tsv`
/// is CSV (tab-separated for `.tsv`), anything else JSON Lines; a trailing `.gz` is ignored for this.
public enum CorpusFormat: String, CaseIterable, Sendable {
    case auto, jsonl, csv, tsv, folder

    /// The concrete format of `path` when this is `.auto`.
    package func resolved(for path: String) -> CorpusFormat {
        guard self == .auto else { return self }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue { return .folder }
        var name = path.lowercased()
        if name.hasSuffix(".gz") { name.removeLast(3) }
        if name.hasSuffix(".csv") { return .csv }
        if name.hasSuffix(".tsv") { return .tsv }
        return .jsonl
    }
}

/// How to read a corpus.
public struct CorpusOptions: Sendable {
    public var format: CorpusFormat = .auto
    /// Article field → the CSV column or JSON Lines key it is read from, overriding the default names
    /// (the field's own name; `text` for a body). Fields not mapped keep their default name.
    public var columns: [ArticleField: String] = [:]
    /// Whether bodies and titles are cleaned as HTML (`auto`: when they look like markup).
    public var html: HTMLMode = .auto
    /// The zone of input times written without an offset (and of epoch seconds, for showing them).
    public var timeZone: DateZone = .utc
    /// Records (lines, rows, files) longer than this are invalid. Default 16 MiB.
    public var maxRecordBytes = 16 << 20
    /// Skip invalid records (reporting them) instead of stopping at the first.
    public var skipInvalid = false
    /// Raw bytes per batch handed to a worker.
    package var batchBytes = 1 << 20

    public init() {}

    /// Parses `--columns` text: `id=Key,title=Headline,body=Text`; throws naming an unknown field.
    public static func parseColumns(_ text: String) throws -> [ArticleField: String] {
        var mapping: [ArticleField: String] = [:]
        for pair in text.split(separator: ",") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[1].isEmpty else {
                throw CorpusError(.badOption, file: "--columns", "'\(pair)' is not FIELD=COLUMN")
            }
            guard let field = ArticleField(rawValue: parts[0].lowercased()) ?? (parts[0].lowercased() == "text" ? .body : nil) else {
                throw CorpusError(.badOption, file: "--columns", "unknown field '\(parts[0])' (fields: \(ArticleField.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            mapping[field] = parts[1]
        }
        return mapping
    }
}

/// Streams a corpus in batches: `nextBatch()` reads sequentially (one caller at a time), `decode`
/// turns a batch into articles on any thread, and a `CorpusValidator` admits them in input order.
/// Several inputs are read one after the other as one corpus.
///
/// `nextPiece()` and `decode(_: CorpusPiece)` do the same with the reading itself moved to the
/// workers where the input allows it: a plain JSON Lines file is handed out as byte ranges
/// (`PlainFileRanges`) that each worker reads, cuts into lines and decodes; gzip files, pipes, CSV and
/// folders are still read in order by `nextPiece()`'s caller. A reader is used either way, not both.
///
/// Memory stays constant in the corpus size: one batch per worker plus the reader's buffers.
package final class CorpusReader: @unchecked Sendable {
    /// The input paths, joined by ", " (for messages).
    package let path: String
    package let paths: [String]
    package let options: CorpusOptions
    private let sources: [Source]
    private var current = 0
    private var sequence = 0
    /// The next byte range of the current source, when it is read in ranges.
    private var nextRange = 0

    private struct Source {
        let path: String
        let format: CorpusFormat
        let producer: Producer
        let csvDecoder: CSVRecordDecoder?
        /// Set for a plain JSON Lines file: `nextPiece()` hands it out as byte ranges.
        var ranges: PlainFileRanges? = nil
    }

    private enum Producer {
        case lines(LineSplitter)
        case csv(CSVSplitter)
        case folder(TextFolder)
    }

    /// The resolved format of the first input.
    package var format: CorpusFormat { sources[0].format }

    package convenience init(path: String, options: CorpusOptions = CorpusOptions()) throws {
        try self.init(paths: [path], options: options)
    }

    package init(paths: [String], options: CorpusOptions = CorpusOptions()) throws {
        precondition(!paths.isEmpty, "CorpusReader needs at least one input")
        self.paths = paths
        path = paths.joined(separator: ", ")
        self.options = options
        sources = try paths.map { try CorpusReader.open($0, options: options) }
    }

    private static func open(_ path: String, options: CorpusOptions) throws -> Source {
        let format = options.format.resolved(for: path)
        switch format {
        case .folder:
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw CorpusError(.unreadableFile, file: path, "not a directory (--input-format folder reads a folder of .txt/.md files)")
            }
            if let field = options.columns.keys.first {
                throw CorpusError(.badOption, file: "--columns", "maps \(field.rawValue), but a folder of text files has no columns "
                    + "(its files set fields in front matter: a leading --- block of key: value lines)")
            }
            return Source(path: path, format: format,
                          producer: .folder(try TextFolder(root: path, maxRecordBytes: options.maxRecordBytes)), csvDecoder: nil)
        case .csv, .tsv:
            let delimiter: UInt8 = format == .tsv ? 0x09 : UInt8(ascii: ",")
            let splitter = CSVSplitter(source: try ByteSource(path: path), delimiter: delimiter, maxRecordBytes: options.maxRecordBytes,
                                       targetBatchBytes: options.batchBytes)
            guard let headerRecord = try splitter.nextRecord() else {
                throw CorpusError(.emptyCorpus, file: path, "no header row: the file is empty")
            }
            if let error = headerRecord.error { throw error }
            let header: [String]
            do {
                header = try headerRecord.bytes.withUnsafeBufferPointer { try CSVFieldParser(delimiter: delimiter).fields($0) }
            } catch {
                throw CorpusError(.malformedCSV, file: path, line: headerRecord.line, "cannot parse the header row")
            }
            let decoder = try CSVRecordDecoder(file: path, header: header, delimiter: delimiter, options: options)
            return Source(path: path, format: format, producer: .csv(splitter), csvDecoder: decoder)
        case .jsonl, .auto:
            let bytes = try ByteSource(path: path)
            let splitter = LineSplitter(source: bytes, maxRecordBytes: options.maxRecordBytes, targetBatchBytes: options.batchBytes)
            let ranges = bytes.isPlainRegularFile
                ? try PlainFileRanges(path: path, maxRecordBytes: options.maxRecordBytes, rangeBytes: options.batchBytes) : nil
            return Source(path: path, format: .jsonl, producer: .lines(splitter), csvDecoder: nil, ranges: ranges)
        }
    }

    /// The next batch of raw records, or nil at the end. Not thread-safe: call from one thread at a time.
    package func nextBatch() throws -> RecordBatch? {
        while current < sources.count {
            if let batch = try batchOfCurrentSource() { return batch }
            current += 1
        }
        return nil
    }

    /// The next piece of input, or nil at the end: a byte range to read (plain JSON Lines files, O(1)
    /// here) or a batch read here. Not thread-safe: call from one thread at a time.
    package func nextPiece() throws -> CorpusPiece? {
        while current < sources.count {
            if let ranges = sources[current].ranges {
                if nextRange < ranges.count {
                    defer { nextRange += 1; sequence += 1 }
                    return CorpusPiece(sequence: sequence, source: current, content: .unread(ranges, index: nextRange))
                }
            } else if let batch = try batchOfCurrentSource() {
                return CorpusPiece(sequence: batch.sequence, source: current, content: .read(batch))
            }
            current += 1
            nextRange = 0
        }
        return nil
    }

    private func batchOfCurrentSource() throws -> RecordBatch? {
        let batch: RecordBatch?
        switch sources[current].producer {
        case .lines(let splitter): batch = try splitter.nextBatch()
        case .csv(let splitter): batch = try splitter.nextBatch()
        case .folder(let folder): batch = try folder.nextBatch()
        }
        guard let batch else { return nil }
        defer { sequence += 1 }
        return RecordBatch(sequence: sequence, source: current, bytes: batch.bytes, records: batch.records)
    }

    /// Reads (when it is a byte range) and decodes `piece`. Thread-safe. A range's lines are numbered
    /// from its start (`DecodedBatch.rangeLines`) until `CorpusValidator.admit` numbers them.
    package func decode(_ piece: CorpusPiece) throws -> DecodedBatch {
        switch piece.content {
        case .read(let batch):
            return decode(batch)
        case .unread(let ranges, let index):
            let (batch, lineCount) = try ranges.batch(index, sequence: piece.sequence, source: piece.source)
            var decoded = decode(batch)
            decoded.rangeLines = RangeLines(source: piece.source, lineCount: lineCount)
            return decoded
        }
    }

    /// Decodes every record of `batch`. Thread-safe.
    package func decode(_ batch: RecordBatch) -> DecodedBatch {
        let source = sources[batch.source]
        let jsonDecoder = JSONRecordDecoder(file: source.path, options: options)
        let records = batch.bytes.withUnsafeBufferPointer { bytes in
            batch.records.map { record -> DecodedRecord in
                if let error = record.error { return .invalid(error) }
                let slice = UnsafeBufferPointer(rebasing: bytes[record.start..<record.start + record.count])
                switch source.format {
                case .folder:
                    let filePath = source.path + (source.path.hasSuffix("/") ? "" : "/") + (record.name ?? "")
                    return TextFolder.decode(slice, file: filePath, id: record.name ?? filePath, options: options)
                case .csv, .tsv:
                    return source.csvDecoder!.decode(slice, line: record.line)
                case .jsonl, .auto:
                    return jsonDecoder.decode(slice, line: record.line)
                }
            }
        }
        return DecodedBatch(sequence: batch.sequence, records: records)
    }

    /// Reads the whole corpus on the calling thread: the articles in input order, and what was skipped.
    /// Throws the first invalid record's error unless `skipInvalid`, and `emptyCorpus` when nothing is left.
    package func readAll() throws -> (articles: [Article], skipped: SkippedRecords) {
        var validator = CorpusValidator(file: path, skipInvalid: options.skipInvalid)
        var articles: [Article] = []
        while let piece = try nextPiece() {
            let decoded = try decode(piece)
            let accepted = try validator.admit(decoded)
            for (record, keep) in zip(decoded.records, accepted) where keep {
                articles.append(record.article!)
            }
        }
        try validator.finish()
        return (articles, validator.skipped)
    }
}

/// Checks what only the whole corpus can tell (duplicate ids, emptiness), in input order.
package struct CorpusValidator: Sendable {
    package let file: String
    package let skipInvalid: Bool
    package private(set) var skipped = SkippedRecords()
    package private(set) var acceptedCount = 0
    private var seen: [String: Int] = [:]
    /// The file (reader source) of the last byte range admitted, and the lines of its ranges so far.
    private var rangeFile = -1
    private var linesOfRanges = 0

    package init(file: String, skipInvalid: Bool) {
        self.file = file
        self.skipInvalid = skipInvalid
    }

    /// For each record of `batch`, whether it is admitted. Without `skipInvalid`, throws at the first
    /// invalid record; with it, records the error and rejects the record. A byte range's relative
    /// line numbers (`rangeLines`) are made absolute first: plus the lines of the file's earlier ranges.
    package mutating func admit(_ batch: DecodedBatch) throws -> [Bool] {
        let lineOffset = linesBefore(batch)
        var accepted = [Bool](repeating: false, count: batch.records.count)
        for (index, record) in batch.records.enumerated() {
            var failure: CorpusError?
            switch record {
            case .invalid(var error):
                error.line = error.line.map { $0 + lineOffset }
                failure = error
            case .article(let article, let rangeLine):
                let line = rangeLine + lineOffset
                if let first = seen[article.id] {
                    failure = CorpusError(.duplicateID, file: file, line: line, field: "id",
                                          "duplicate id \"\(article.id)\" (first seen at line \(first))")
                } else {
                    seen[article.id] = line
                }
            }
            if let failure {
                guard skipInvalid else { throw failure }
                skipped.errors.append(failure)
            } else {
                accepted[index] = true
                acceptedCount += 1
            }
        }
        return accepted
    }

    /// The lines of the earlier ranges of `batch`'s file (0 for a batch numbered by the reader); counts `batch`'s.
    private mutating func linesBefore(_ batch: DecodedBatch) -> Int {
        guard let range = batch.rangeLines else { return 0 }
        if range.source != rangeFile {
            rangeFile = range.source
            linesOfRanges = 0
        }
        defer { linesOfRanges += range.lineCount }
        return linesOfRanges
    }

    /// Throws `emptyCorpus` when no article was admitted.
    package func finish() throws {
        guard acceptedCount > 0 else {
            let reason = skipped.count > 0 ? "every record was invalid (\(skipped.summary()))" : "no articles found"
            throw CorpusError(.emptyCorpus, file: file, "empty corpus: \(reason)")
        }
    }
}

extension Article {
    /// Decodes one article from a JSON object with the JSON Lines fields (`id`, `title`, `body` or
    /// `text`, `date`, …, renamed by `options.columns`; HTML and dates as `options` say). `source` names
    /// the input in errors. An absent id becomes "query".
    public static func decodeJSON(_ text: String, source: String, options: CorpusOptions = CorpusOptions()) throws -> Article {
        var bytes = Array(text.utf8)
        while let last = bytes.last, last == 0x0A || last == 0x0D || last == 0x20 { bytes.removeLast() }
        func decode(_ bytes: [UInt8]) -> DecodedRecord {
            bytes.withUnsafeBufferPointer { JSONRecordDecoder(file: source, options: options).decode($0, line: 1) }
        }
        switch decode(bytes) {
        case .article(let article, _): return article
        case .invalid(let error):
            guard error.kind == .missingField, error.field == "id" else { throw error }
            // No id: decode again with one. An empty id (which the added one does not replace) stays an error.
            let patched = Array("{\"\(options.columns[.id] ?? "id")\":\"query\",".utf8) + bytes.drop { $0 != UInt8(ascii: "{") }.dropFirst()
            guard case .article(let article, _) = decode(patched) else { throw error }
            return article
        }
    }
}
