import Foundation

/// Reads a folder of text files as articles: every `.txt` or `.md` file below it (also `.txt.gz`,
/// `.md.gz`), in byte order of their relative paths. The id is the relative path, the first line
/// the title and the rest the body; a leading front matter block (`FrontMatter`) sets fields first.
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

    /// Title = first line (trimmed), body = the rest; with front matter (`FrontMatter`), its fields
    /// first: a `title` there leaves the whole rest as the body, and an `id` replaces `id` (the path).
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, file: String, id: String, options: CorpusOptions) -> DecodedRecord {
        var content = bytes
        if content.starts(with: [0xEF, 0xBB, 0xBF]) { content = UnsafeBufferPointer(rebasing: content[3...]) }
        guard let text = String(validating: content, as: UTF8.self) else {
            return .invalid(CorpusError(.invalidUTF8, file: file, line: 1, field: "body", "invalid UTF-8"))
        }
        var fields = RecordFields(id: id)
        var rest = Substring(text)
        do {
            if let frontMatter = try FrontMatter(text, file: file) {
                try frontMatter.fill(&fields, file: file)
                rest = frontMatter.rest.drop { $0.isNewline }
            }
        } catch {
            return .invalid(error)
        }
        if fields.title == nil {
            // Split on the first line feed byte (a "\r\n" is one Character to Swift, so search the UTF-8 view).
            let newline = rest.utf8.firstIndex(of: 0x0A) ?? rest.utf8.endIndex
            fields.title = String(rest[..<newline]).trimmingCharacters(in: .whitespacesAndNewlines)
            rest = newline < rest.utf8.endIndex ? rest[rest.utf8.index(after: newline)...] : ""
        }
        fields.body = String(rest)
        return fields.article(file: file, line: 1, options: options)
    }
}

extension FrontMatter {
    /// The article field each front matter key sets (`language` is also read as `lang`; a `body` key is
    /// ignored like unknown keys, since the body is the text after the block).
    static func field(forKey key: String) -> ArticleField? {
        key == "language" ? .lang : ArticleField(rawValue: key)
    }

    /// Sets the fields of `fields` that this front matter gives (one line per field: a one-value field
    /// takes `one(…)`, a list field would take `value.items`); throws for a list given to a one-value field.
    func fill(_ fields: inout RecordFields, file: String) throws(CorpusError) {
        for (key, value) in values.sorted(by: { $0.key < $1.key }) {
            guard let field = Self.field(forKey: key) else { continue }
            func one() throws(CorpusError) -> String {
                guard case .text(let text) = value else {
                    throw CorpusError(.wrongType, file: file, line: lines[key], field: key,
                                      "a list of \(value.items.count) in front matter, but \(field.rawValue) takes one value")
                }
                return text
            }
            switch field {
            case .id: fields.id = try one()
            case .title: fields.title = try one()
            case .body: continue // the text after the front matter is the body
            case .date: fields.date = try one()
            case .url: fields.url = try one()
            case .label: fields.label = try one()
            case .event: fields.event = try one()
            case .lang: fields.lang = try one()
            case .categories, .tags, .section, .author:
                // A list's items as written; one value may hold several, comma-separated, as in JSON Lines.
                let values: [String]
                switch value {
                case .list(let items): values = items.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                case .text(let text): values = ArticleTaxonomy.values(ofList: text)
                }
                fields.taxonomy[TaxonomyField(rawValue: field.rawValue)!] = values
            }
        }
    }
}

extension Article {
    /// An article read from one text file as the folder reader reads each (`--input-format folder`):
    /// id = the path, title = the first line, body = the rest (front matter first); gzip or not; at most
    /// `options.maxRecordBytes` bytes; HTML and dates as `options` say.
    public init(textFile path: String, options: CorpusOptions = CorpusOptions()) throws {
        let bytes = try ByteSource(path: path).readAll(limit: options.maxRecordBytes)
        switch bytes.withUnsafeBufferPointer({ TextFolder.decode($0, file: path, id: path, options: options) }) {
        case .article(let article, _): self = article
        case .invalid(let error): throw error
        }
    }
}
