/// Cuts a byte stream into batches of CSV records (RFC 4180), in constant memory.
///
/// A record ends at a newline outside double quotes, so quoted fields may span lines; each record
/// remembers the line it starts on. `\r\n` endings and a UTF-8 byte-order mark are accepted.
final class CSVSplitter {
    private let source: ByteSource
    private let delimiter: UInt8
    private let maxRecordBytes: Int
    private let targetBatchBytes: Int
    private var pending: [UInt8] = []
    private var consumed = 0
    private var pendingStartLine = 1
    private var endOfInput = false
    private var atStart = true
    private var sequence = 0
    private var chunk = [UInt8](repeating: 0, count: 256 * 1024)

    init(source: ByteSource, delimiter: UInt8, maxRecordBytes: Int, targetBatchBytes: Int) {
        self.source = source
        self.delimiter = delimiter
        self.maxRecordBytes = maxRecordBytes
        self.targetBatchBytes = targetBatchBytes
    }

    func nextBatch() throws -> RecordBatch? {
        var bytes: [UInt8] = []
        var records: [RawRecord] = []
        while bytes.count < targetBatchBytes {
            guard let record = try nextRecord() else { break }
            if let error = record.error {
                records.append(RawRecord(start: bytes.count, count: 0, line: record.line, error: error))
            } else if !record.bytes.isEmpty {
                records.append(RawRecord(start: bytes.count, count: record.bytes.count, line: record.line))
                bytes.append(contentsOf: record.bytes)
            }
        }
        if records.isEmpty && endOfInput && consumed >= pending.count { return nil }
        defer { sequence += 1 }
        return RecordBatch(sequence: sequence, bytes: bytes, records: records)
    }

    /// The next record's bytes (without its line ending) and start line; nil at end of input.
    ///
    /// Quotes are tracked as the field parser reads them: a `"` opens a quoted field only at the
    /// start of a field, `""` inside one is a literal quote, and any other `"` is literal text.
    func nextRecord() throws -> (bytes: [UInt8], line: Int, error: CorpusError?)? {
        enum State { case fieldStart, unquoted, quoted, quoteInQuoted }
        var state = State.fieldStart
        var index = consumed
        var newlines = 0
        var tooLarge = false
        while true {
            while index < pending.count {
                let byte = pending[index]
                switch state {
                case .fieldStart, .unquoted:
                    if byte == UInt8(ascii: "\""), state == .fieldStart {
                        state = .quoted
                    } else if byte == delimiter {
                        state = .fieldStart
                    } else if byte == 0x0A {
                        var end = index
                        if end > consumed && pending[end - 1] == 0x0D { end -= 1 }
                        let line = pendingStartLine
                        let record = Array(pending[consumed..<end])
                        consumed = index + 1
                        pendingStartLine += newlines + 1
                        return tooLarge || record.count > maxRecordBytes ? ([], line, oversize(line)) : (record, line, nil)
                    } else {
                        state = .unquoted
                    }
                case .quoted:
                    if byte == UInt8(ascii: "\"") { state = .quoteInQuoted } else if byte == 0x0A { newlines += 1 }
                case .quoteInQuoted:
                    // `""` continues the quoted field; anything else ends it (the parser checks what follows).
                    if byte == UInt8(ascii: "\"") {
                        state = .quoted
                    } else {
                        state = .unquoted
                        continue
                    }
                }
                index += 1
            }
            if index - consumed > maxRecordBytes {
                // Keep scanning for the record's end but stop holding its bytes.
                tooLarge = true
                pending.removeAll(keepingCapacity: true)
                consumed = 0
                index = 0
            }
            guard !endOfInput else { break }
            let count = try chunk.withUnsafeMutableBytes { try source.read(into: $0.baseAddress!, capacity: $0.count) }
            if count == 0 { endOfInput = true; continue }
            var slice = chunk[0..<count]
            if atStart {
                atStart = false
                if slice.starts(with: [0xEF, 0xBB, 0xBF]) { slice = slice.dropFirst(3) }
            }
            if consumed > 0 {
                pending.removeFirst(consumed)
                index -= consumed
                consumed = 0
            }
            pending.append(contentsOf: slice)
        }
        // End of input: the last record may lack a newline.
        guard consumed < pending.count || tooLarge else { return nil }
        let line = pendingStartLine
        var record = Array(pending[consumed...])
        pending = []
        consumed = 0
        if state == .quoted {
            // The rest of the input was read as this record: name the lines lost with it.
            let lastLine = line + newlines - (record.last == 0x0A ? 1 : 0)
            let lost = lastLine > line ? ", so lines \(line)–\(lastLine) are lost" : ""
            return ([], line, CorpusError(.malformedCSV, file: source.path, line: line,
                                          "unterminated quoted field (a '\"' opened here is never closed\(lost))"))
        }
        if record.last == 0x0D { record.removeLast() }
        return tooLarge || record.count > maxRecordBytes ? ([], line, oversize(line)) : (record, line, nil)
    }

    private func oversize(_ line: Int) -> CorpusError {
        CorpusError(.recordTooLarge, file: source.path, line: line,
                    "record is longer than the record size limit of \(maxRecordBytes) bytes")
    }
}

/// Splits one CSV record into fields: `,`-separated (or another delimiter), `"`-quoted fields with
/// `""` for a quote. Quotes inside an unquoted field are kept literally, as most CSV writers expect;
/// text after a closing quote other than a delimiter is an error.
struct CSVFieldParser {
    let delimiter: UInt8

    enum Failure: Error { case textAfterClosingQuote(field: Int), invalidUTF8(field: Int) }

    func fields(_ bytes: UnsafeBufferPointer<UInt8>) throws(Failure) -> [String] {
        var fields: [String] = []
        var value: [UInt8] = []
        var index = 0
        let count = bytes.count
        while true {
            value.removeAll(keepingCapacity: true)
            if index < count && bytes[index] == UInt8(ascii: "\"") {
                index += 1
                while index < count {
                    let byte = bytes[index]
                    if byte == UInt8(ascii: "\"") {
                        if index + 1 < count && bytes[index + 1] == UInt8(ascii: "\"") {
                            value.append(byte)
                            index += 2
                            continue
                        }
                        index += 1
                        break
                    }
                    value.append(byte)
                    index += 1
                }
                if index < count && bytes[index] != delimiter { throw .textAfterClosingQuote(field: fields.count) }
            } else {
                while index < count && bytes[index] != delimiter {
                    value.append(bytes[index])
                    index += 1
                }
            }
            guard let text = String(validating: value, as: UTF8.self) else { throw .invalidUTF8(field: fields.count) }
            fields.append(text)
            if index >= count { return fields }
            index += 1 // the delimiter
        }
    }
}

/// Maps CSV columns to article fields and decodes rows.
struct CSVRecordDecoder: Sendable {
    let file: String
    let header: [String]
    let delimiter: UInt8
    let options: CorpusOptions
    /// Column index of each mapped field.
    let columns: [ArticleField: Int]

    /// Builds the mapping from the header: explicit `options.columns` (field → column name) first, then
    /// columns named like a field (case-insensitive; `text` also maps to body).
    init(file: String, header: [String], delimiter: UInt8, options: CorpusOptions) throws {
        self.file = file
        self.header = header
        self.delimiter = delimiter
        self.options = options
        let mapping = options.columns
        let lowered = header.map { $0.lowercased() }
        var columns: [ArticleField: Int] = [:]
        for (field, name) in mapping {
            guard let index = header.firstIndex(of: name) ?? lowered.firstIndex(of: name.lowercased()) else {
                throw CorpusError(.badOption, file: file, line: 1, field: field.rawValue,
                                  "--columns maps \(field.rawValue) to '\(name)', but the header has no such column (columns: \(header.joined(separator: ", ")))")
            }
            columns[field] = index
        }
        for field in ArticleField.allCases where columns[field] == nil {
            if let index = lowered.firstIndex(of: field.rawValue) { columns[field] = index }
        }
        if columns[.body] == nil, let index = lowered.firstIndex(of: "text") { columns[.body] = index }
        for required in [ArticleField.id, .body] where columns[required] == nil {
            throw CorpusError(.missingField, file: file, line: 1, field: required.rawValue,
                              "the header has no '\(required.rawValue)' column (columns: \(header.joined(separator: ", "))); map one with --columns \(required.rawValue)=NAME")
        }
        self.columns = columns
    }

    func decode(_ bytes: UnsafeBufferPointer<UInt8>, line: Int) -> DecodedRecord {
        let values: [String]
        do {
            values = try CSVFieldParser(delimiter: delimiter).fields(bytes)
        } catch {
            switch error {
            case .textAfterClosingQuote(let index):
                return .invalid(CorpusError(.malformedCSV, file: file, line: line, field: columnName(index),
                                            "unexpected text after a closing quote"))
            case .invalidUTF8(let index):
                return .invalid(CorpusError(.invalidUTF8, file: file, line: line, field: columnName(index), "invalid UTF-8"))
            }
        }
        guard values.count == header.count else {
            return .invalid(CorpusError(.malformedCSV, file: file, line: line,
                                        "\(values.count) fields, but the header has \(header.count)"))
        }
        func value(_ field: ArticleField) -> String? { columns[field].map { values[$0] } }
        func list(_ field: ArticleField) -> [String] { value(field).map(ArticleTaxonomy.values(ofList:)) ?? [] }
        let fields = RecordFields(
            id: value(.id), title: value(.title), body: value(.body), text: nil, date: value(.date),
            url: value(.url), label: value(.label).flatMap { $0.isEmpty ? nil : $0 },
            event: value(.event).flatMap { $0.isEmpty ? nil : $0 }, lang: value(.lang),
            taxonomy: ArticleTaxonomy(categories: list(.categories), tags: list(.tags), section: list(.section), author: list(.author)))
        return fields.article(file: file, line: line, options: options)
    }

    private func columnName(_ index: Int) -> String {
        index < header.count ? header[index] : "column \(index + 1)"
    }
}
