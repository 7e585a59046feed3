import Foundation
import Testing
import SeeAlsoCorpus
import SeeAlsoTestSupport

@Suite struct CorpusFormatTests {
    @Test(arguments: [
        ("news.jsonl", CorpusFormat.jsonl),
        ("news.jsonl.gz", .jsonl),
        ("news.json", .jsonl),
        ("news.ndjson.GZ", .jsonl),
        ("news.txt", .jsonl),
        ("no-extension", .jsonl),
        ("news.csv", .csv),
        ("NEWS.CSV", .csv),
        ("news.csv.gz", .csv),
        ("news.Csv.Gz", .csv),
        ("news.tsv", .tsv),
        ("news.tsv.gz", .tsv),
        ("dir.csv/news.jsonl", .jsonl),
        ("news.gz", .jsonl),
        ("news.csv.bak", .jsonl),
        ("archive.tar.gz", .jsonl),
    ])
    func autoResolvesByExtension(path: String, expected: CorpusFormat) {
        #expect(CorpusFormat.auto.resolved(for: "/nonexistent-seealso-dir/" + path) == expected)
    }

    @Test func autoResolvesAnExistingDirectoryToFolder() throws {
        try withTemporaryDirectory { dir in
            #expect(CorpusFormat.auto.resolved(for: dir.path) == .folder)
            // Even a directory whose name looks like a file.
            let odd = dir.path("looks-like.csv")
            try FileManager.default.createDirectory(atPath: odd, withIntermediateDirectories: true)
            #expect(CorpusFormat.auto.resolved(for: odd) == .folder)
            // A file is resolved by name.
            let file = try dir.write("data.tsv", "id\tbody\n")
            #expect(CorpusFormat.auto.resolved(for: file) == .tsv)
        }
    }

    @Test func explicitFormatsAreKept() throws {
        try withTemporaryDirectory { dir in
            for format in CorpusFormat.allCases where format != .auto {
                #expect(format.resolved(for: "x.csv") == format)
                #expect(format.resolved(for: dir.path) == format)
            }
        }
    }

    @Test func defaultOptions() {
        let defaults = CorpusOptions()
        #expect(defaults.format == .auto)
        #expect(defaults.columns.isEmpty)
        #expect(defaults.maxRecordBytes == 16 << 20)
        #expect(defaults.skipInvalid == false)
        #expect(defaults.batchBytes == 1 << 20)
    }

    @Test func errorDescriptionsReadLikeDiagnostics() {
        #expect(CorpusError(.invalidDate, file: "data.jsonl", line: 12, field: "date", "unparseable date \"2017-13-01\"").description
                    == "data.jsonl:12: field 'date': unparseable date \"2017-13-01\"")
        #expect(CorpusError(.malformedJSON, file: "data.jsonl", line: 3, "oops").description == "data.jsonl:3: oops")
        #expect(CorpusError(.unreadableFile, file: "missing.jsonl", "no such file").description == "missing.jsonl: no such file")
        #expect(CorpusError.Kind.recordTooLarge.rawValue == "record too large")
    }
}
