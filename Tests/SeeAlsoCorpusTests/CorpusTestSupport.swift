import Foundation
import Testing
import SeeAlsoCorpus

/// A fresh directory under the system temporary directory, removed when `body` returns.
struct TemporaryDirectory {
    let url: URL

    var path: String { url.path }

    /// The absolute path of `name` inside the directory.
    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    /// Writes `bytes` to `name` (creating intermediate folders) and returns the file's path.
    @discardableResult
    func write(_ name: String, bytes: [UInt8]) throws -> String {
        let target = url.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: target)
        return target.path
    }

    /// Writes UTF-8 `text` to `name` and returns the file's path.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        try write(name, bytes: Array(text.utf8))
    }

    /// Compresses the file at `path` with `/bin/gzip` into `path + ".gz"` (keeping the original).
    @discardableResult
    func gzip(_ path: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = ["-c", "-n", "-9", path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "gzip failed for \(path)")
        let target = path + ".gz"
        try data.write(to: URL(fileURLWithPath: target))
        return target
    }
}

/// Runs `body` with a new temporary directory that is deleted afterwards.
@discardableResult
func withTemporaryDirectory<R>(_ body: (TemporaryDirectory) throws -> R) throws -> R {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("SeeAlsoCorpusTests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: url) }
    return try body(TemporaryDirectory(url: url))
}

/// Overload so an async body can use the temporary directory.
@discardableResult
func withTemporaryDirectory<R>(_ body: (TemporaryDirectory) async throws -> R) async throws -> R {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("SeeAlsoCorpusTests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: url) }
    return try await body(TemporaryDirectory(url: url))
}

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
    options.csvColumns = columns
    return options
}

/// Reads the whole corpus at `path`.
func readArticles(_ path: String, _ options: CorpusOptions = CorpusOptions()) throws -> [Article] {
    try CorpusReader(path: path, options: options).readAll().articles
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

/// A small seeded generator (SplitMix64) so generated corpora are the same on every run.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
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
