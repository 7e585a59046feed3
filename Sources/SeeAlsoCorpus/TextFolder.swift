import Foundation

/// Reads a folder of text files as articles: every `.txt` or `.md` file below it (also `.txt.gz`,
/// `.md.gz`), in byte order of their relative paths. The id is the relative path, the first line
/// the title and the rest the body.
final class TextFolder {
    private let root: String
    private let files: [String]
    private let maxRecordBytes: Int
    private let batchFiles: Int
    private var next = 0
    private var sequence = 0

    static let extensions = [".txt", ".md", ".txt.gz", ".md.gz"]

    init(root: String, maxRecordBytes: Int, batchFiles: Int = 256) throws {
        self.root = root
        self.maxRecordBytes = maxRecordBytes
        self.batchFiles = batchFiles
        let base = URL(fileURLWithPath: root).standardizedFileURL
        guard let walker = FileManager.default.enumerator(at: base, includingPropertiesForKeys: [.isRegularFileKey]) else {
            throw CorpusError(.unreadableFile, file: root, "cannot list the folder")
        }
        var found: [String] = []
        let prefix = base.path.hasSuffix("/") ? base.path : base.path + "/"
        for case let url as URL in walker {
            let path = url.standardizedFileURL.path
            guard TextFolder.extensions.contains(where: { path.lowercased().hasSuffix($0) }),
                  (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true,
                  path.hasPrefix(prefix) else { continue }
            found.append(String(path.dropFirst(prefix.count)))
        }
        files = found.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    func nextBatch() throws -> RecordBatch? {
        guard next < files.count else { return nil }
        var bytes: [UInt8] = []
        var records: [RawRecord] = []
        for name in files[next..<min(files.count, next + batchFiles)] {
            let path = root + (root.hasSuffix("/") ? "" : "/") + name
            do {
                let content = try ByteSource(path: path).readAll(limit: maxRecordBytes)
                records.append(RawRecord(start: bytes.count, count: content.count, line: 1, name: name))
                bytes.append(contentsOf: content)
            } catch let error as CorpusError {
                records.append(RawRecord(start: bytes.count, count: 0, line: 1, name: name, error: error))
            }
        }
        next = min(files.count, next + batchFiles)
        defer { sequence += 1 }
        return RecordBatch(sequence: sequence, bytes: bytes, records: records)
    }

    /// Title = first line (trimmed), body = the rest.
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, file: String) -> DecodedRecord {
        var content = bytes
        if content.starts(with: [0xEF, 0xBB, 0xBF]) { content = UnsafeBufferPointer(rebasing: content[3...]) }
        guard let text = String(validating: content, as: UTF8.self) else {
            return .invalid(CorpusError(.invalidUTF8, file: file, line: 1, field: "body", "invalid UTF-8"))
        }
        // Split on the first line feed byte (a "\r\n" is one Character to Swift, so search the UTF-8 view).
        let newline = text.utf8.firstIndex(of: 0x0A) ?? text.utf8.endIndex
        let title = String(text[..<newline]).trimmingCharacters(in: .whitespacesAndNewlines)
        let body = newline < text.utf8.endIndex ? String(text[text.utf8.index(after: newline)...]) : ""
        return .article(Article(id: file, title: title, body: body), line: 1)
    }
}

extension Article {
    /// An article read from one text file as the folder reader reads each (`--input-format folder`):
    /// id = the path, title = the first line, body = the rest; gzip or not; at most `maxBytes` bytes.
    public init(textFile path: String, maxBytes: Int = CorpusOptions().maxRecordBytes) throws {
        let bytes = try ByteSource(path: path).readAll(limit: maxBytes)
        switch bytes.withUnsafeBufferPointer({ TextFolder.decode($0, file: path) }) {
        case .article(let article, _): self = article
        case .invalid(let error): throw error
        }
    }
}
