import ArgumentParser
import SeeAlso

/// Where the articles come from and how to read them.
struct InputOptions: ParsableArguments {
    @Option(name: .long, help: "Archive: a .jsonl, .csv or .tsv file (optionally .gz), or a folder of .txt/.md files.") var input: String
    @OptionGroup var reading: ReadingOptions

    /// The input as read with these options; `vectorizer`'s preset decides the HTML default (`sklearn`: off).
    func archive(for vectorizer: VectorizerOptions? = nil) throws -> ArchiveInput {
        try reading.archive(input, for: vectorizer)
    }
}

/// How an archive is read (format, field mapping, HTML, time zone, invalid records, record size).
struct ReadingOptions: ParsableArguments {
    static let defaultMaxRecordBytes = 16 << 20

    @Option(name: .customLong("input-format"), help: "auto (by extension), jsonl, csv, tsv or folder.")
    var inputFormat: CorpusFormat = .auto
    @Option(help: "Field mapping to CSV columns or JSON Lines keys, e.g. id=Key,title=Headline,body=Text.") var columns: String?
    @Option(help: "Clean bodies and titles as HTML: auto (when they contain markup; the default), on, off (the default with --preset sklearn, whose parity is on the raw text).")
    var html: HTMLMode?
    @Option(help: "Zone of input times without an offset: UTC (default), an offset such as -05:00, or an IANA name such as Europe/Rome.")
    var timeZone: String?
    @Flag(help: "Skip invalid records (and report them) instead of stopping at the first.") var skipInvalid = false
    @Option(help: "Largest record (line, row or file) in bytes.") var maxRecordBytes = ReadingOptions.defaultMaxRecordBytes

    func validate() throws {
        guard maxRecordBytes >= 1 else { throw ValidationError("--max-record-bytes must be at least 1, got \(maxRecordBytes)") }
    }

    /// Whether any option differs from its default (for commands where they apply to --input only).
    var isSet: Bool {
        inputFormat != .auto || columns != nil || html != nil || timeZone != nil || skipInvalid
            || maxRecordBytes != ReadingOptions.defaultMaxRecordBytes
    }

    /// The archive at `path` read with these options; `vectorizer`'s preset decides the HTML default (`sklearn`: off).
    func archive(_ path: String, for vectorizer: VectorizerOptions? = nil) throws -> ArchiveInput {
        var options = CorpusOptions()
        options.format = inputFormat
        options.skipInvalid = skipInvalid
        options.maxRecordBytes = maxRecordBytes
        if let columns { options.columns = try CorpusOptions.parseColumns(columns) }
        options.html = html ?? (vectorizer?.preset == .sklearn ? .off : .auto)
        options.timeZone = try DateZone(option: timeZone)
        return ArchiveInput(path, options: options)
    }
}

extension CorpusFormat: ExpressibleByArgument {}
extension HTMLMode: ExpressibleByArgument {}

extension DateZone {
    /// The zone of a `--time-zone` value (UTC when absent); a ValidationError naming the option otherwise.
    init(option text: String?) throws {
        self = try text.map { text in try validating("--time-zone") { try DateZone(parsing: text) } } ?? .utc
    }
}
