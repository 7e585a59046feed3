/// Why an input could not be read, located by file, line and field.
///
/// `description` reads like a compiler diagnostic: `data.jsonl:12: field 'date': unparseable date "2017-13-01"`.
public struct CorpusError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Kind: String, Sendable {
        case unreadableFile = "unreadable file"
        case malformedJSON = "malformed JSON"
        case malformedCSV = "malformed CSV"
        case malformedFrontMatter = "malformed front matter"
        case invalidUTF8 = "invalid UTF-8"
        case missingField = "missing field"
        case wrongType = "wrong type"
        case duplicateID = "duplicate id"
        case unknownID = "unknown id"
        case invalidDate = "invalid date"
        case recordTooLarge = "record too large"
        case emptyCorpus = "empty corpus"
        case badOption = "bad option"
    }

    public var kind: Kind
    public var file: String
    /// 1-based line where the record starts, when the error belongs to one record.
    public var line: Int?
    public var field: String?
    public var message: String

    package init(_ kind: Kind, file: String, line: Int? = nil, field: String? = nil, _ message: String) {
        self.kind = kind
        self.file = file
        self.line = line
        self.field = field
        self.message = message
    }

    public var description: String {
        var text = file
        if let line { text += ":\(line)" }
        text += ": "
        if let field { text += "field '\(field)': " }
        return text + message
    }
}

/// What a read skipped under `--skip-invalid`.
package struct SkippedRecords: Sendable {
    /// Every skipped record's error, in input order.
    package internal(set) var errors: [CorpusError] = []

    package var count: Int { errors.count }

    package init() {}

    /// Records one more skipped record (the next in input order).
    package mutating func append(_ error: CorpusError) { errors.append(error) }

    /// "skipped 3 invalid records (lines 4, 17, 90): first: data.jsonl:4: …", listing at most `limit` lines;
    /// records of several files (a folder, several inputs) are listed as FILE:LINE, records without a
    /// line (articles refused by a write's id rules) not at all.
    package func summary(limit: Int = 20) -> String {
        guard let first = errors.first else { return "no invalid records" }
        let oneFile = errors.allSatisfy { $0.file == first.file }
        let places = errors.prefix(limit).map { error in
            (oneFile ? "" : error.file + ":") + (error.line.map(String.init) ?? "?")
        }.joined(separator: ", ")
        let more = errors.count > limit ? ", …" : ""
        let listed = errors.contains { $0.line != nil } ? " (\(oneFile ? "lines " : "")\(places)\(more))" : ""
        return "skipped \(errors.count) invalid record\(errors.count == 1 ? "" : "s")\(listed); first: \(first)"
    }
}
