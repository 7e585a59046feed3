import ArgumentParser
import SeeAlso

/// Where the articles come from and how to read them.
struct InputOptions: ParsableArguments {
    @Option(name: .long, help: "Archive: a .jsonl, .csv or .tsv file (optionally .gz), or a folder of .txt/.md files.")
    var input: String

    @Option(name: .customLong("input-format"), help: "auto (by extension), jsonl, csv, tsv or folder.")
    var inputFormat: CorpusFormat = .auto

    @Option(help: "CSV column mapping, e.g. id=Key,title=Headline,body=Text.")
    var columns: String?

    @Flag(help: "Skip invalid records (and report them) instead of stopping at the first.")
    var skipInvalid = false

    @Option(help: "Largest record (line, row or file) in bytes.")
    var maxRecordBytes = 16 << 20

    func validate() throws {
        guard maxRecordBytes >= 1 else { throw ValidationError("--max-record-bytes must be at least 1, got \(maxRecordBytes)") }
    }

    func archive() throws -> ArchiveInput {
        var options = CorpusOptions()
        options.format = inputFormat
        options.skipInvalid = skipInvalid
        options.maxRecordBytes = maxRecordBytes
        if let columns { options.csvColumns = try CorpusOptions.parseColumns(columns) }
        return ArchiveInput(input, options: options)
    }
}

extension CorpusFormat: ExpressibleByArgument {}
