import Foundation

/// Where articles come from: one or more archives read one after the other as one corpus.
///
/// Each path is a JSON Lines file (`.jsonl`, `.json`, `.ndjson`), a CSV or TSV file with a header row,
/// or a folder of `.txt`/`.md` files, any of them gzip-compressed (`.gz`). `options` chooses the format
/// when the extension does not, maps CSV columns, bounds record sizes and decides whether invalid
/// records stop the run (the default) or are skipped and reported.
public struct ArchiveInput: Sendable {
    public var paths: [String]
    public var options: CorpusOptions
    /// The name the index records as this input's source (`IndexManifest.sources`) instead of its
    /// paths, e.g. for a temporary file.
    public var recordedName: String?

    public init(_ path: String, options: CorpusOptions = CorpusOptions()) {
        self.init(paths: [path], options: options)
    }

    public init(paths: [String], options: CorpusOptions = CorpusOptions()) {
        self.paths = paths
        self.options = options
    }

    func reader() throws -> CorpusReader {
        try CorpusReader(paths: paths, options: options)
    }

    /// Whether every path is a regular file or a folder, so that a second pass reads the same articles
    /// (not a pipe or a device).
    var canBeReadTwice: Bool {
        paths.allSatisfy { path in
            let type = (try? FileManager.default.attributesOfItem(atPath: path))?[.type] as? FileAttributeType
            return type == .typeRegular || type == .typeDirectory
        }
    }

    /// What the index records as this input's sources.
    var recordedSources: [String] { recordedName.map { [$0] } ?? paths }
}

extension Article {
    /// One article as a JSON object (JSON Lines fields) read from standard input to its end. Invalid
    /// UTF-8 is refused (`IndexError.io`), as a build refuses it, not replaced.
    package static func decodeJSONFromStandardInput(options: CorpusOptions) throws -> Article {
        guard let text = String(data: FileHandle.standardInput.readDataToEndOfFile(), encoding: .utf8) else {
            throw IndexError.io(path: "<stdin>", reason: "not valid UTF-8 text")
        }
        return try Article.decodeJSON(text, source: "<stdin>", options: options)
    }
}
