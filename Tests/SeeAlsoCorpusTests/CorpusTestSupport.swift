import Foundation
import Testing
import SeeAlsoCorpus

/// JSON Lines text from lines joined by "\n" (with a final newline).
func jsonl(_ lines: [String]) -> String { lines.joined(separator: "\n") + "\n" }

func options(
    format: CorpusFormat = .auto, skipInvalid: Bool = false, maxRecordBytes: Int? = nil, batchBytes: Int? = nil,
    columns: [ArticleField: String] = [:]
) -> CorpusOptions {
    var options = CorpusOptions()
    options.format = format
    options.skipInvalid = skipInvalid
    if let maxRecordBytes { options.maxRecordBytes = maxRecordBytes }
    if let batchBytes { options.batchBytes = batchBytes }
    options.columns = columns
    return options
}

/// Every decoded record of the corpus with its line (articles) or its error (invalid records),
/// batch by batch, without the validator: shows exactly what the reader produced.
struct DecodedRecords: Equatable {
    var articles: [Article] = []
    var lines: [Int] = []
    var errors: [CorpusError] = []
    var batchCount = 0
}

func decodeAll(_ path: String, _ options: CorpusOptions = CorpusOptions()) throws -> DecodedRecords {
    let reader = try CorpusReader(path: path, options: options)
    var result = DecodedRecords()
    var expectedSequence = 0
    while let batch = try reader.nextBatch() {
        #expect(batch.sequence == expectedSequence)
        expectedSequence += 1
        result.batchCount += 1
        let decoded = reader.decode(batch)
        #expect(decoded.sequence == batch.sequence)
        #expect(decoded.records.count == batch.count)
        for record in decoded.records {
            switch record {
            case .article(let article, let line):
                result.articles.append(article)
                result.lines.append(line)
            case .invalid(let error):
                result.errors.append(error)
            }
        }
    }
    return result
}

/// Expects `body` to throw a `CorpusError` of `kind` located at `file`, `line` and `field`, and checks
/// that its description reads `file:line: field 'field': …`. Returns the error for further checks.
@discardableResult
func expectCorpusError(
    _ kind: CorpusError.Kind, file: String, line: Int?, field: String?,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () throws -> Void
) -> CorpusError? {
    let error = #expect(throws: CorpusError.self, sourceLocation: sourceLocation) { try body() }
    guard let error else { return nil }
    checkCorpusError(error, kind, file: file, line: line, field: field, sourceLocation: sourceLocation)
    return error
}

/// Checks an error already caught (e.g. one of `SkippedRecords.errors`).
func checkCorpusError(
    _ error: CorpusError, _ kind: CorpusError.Kind, file: String, line: Int?, field: String?,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(error.kind == kind, "\(error)", sourceLocation: sourceLocation)
    #expect(error.file == file, "\(error)", sourceLocation: sourceLocation)
    #expect(error.line == line, "\(error)", sourceLocation: sourceLocation)
    #expect(error.field == field, "\(error)", sourceLocation: sourceLocation)
    var prefix = file
    if let line { prefix += ":\(line)" }
    prefix += ": "
    if let field { prefix += "field '\(field)': " }
    #expect(error.description.hasPrefix(prefix), "description \(error.description) should start with \(prefix)",
            sourceLocation: sourceLocation)
    #expect(!error.message.isEmpty, sourceLocation: sourceLocation)
}

/// `text` as a JSON string literal (quotes included), escaping what RFC 8259 requires.
func jsonString(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        default:
            if scalar.value < 0x20 {
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
    }
    return out + "\""
}
