import Foundation
import Testing
import SeeAlsoCorpus
import SeeAlsoTestSupport

/// A folder of text files: one article per `.txt`/`.md` (optionally gzipped) file below the root.
@Suite struct TextFolderTests {
    @Test func nestedFilesInByteOrderOfTheirRelativePaths() throws {
        try withTemporaryDirectory { dir in
            let root = dir.path("corpus")
            try dir.write("corpus/a.txt", "Title A\nBody of a.\nSecond line.\n")
            try dir.write("corpus/B.txt", "  Title B  \nbody b")
            try dir.write("corpus/sub/b.md", "# Markdown title\n\nmarkdown body")
            try dir.write("corpus/sub-x.txt", "Sub dash\nsorted before sub/ since '-' < '/'")
            try dir.write("corpus/Upper.TXT", "Upper case extension\nincluded")
            try dir.write("corpus/only-title.txt", "Just a title")
            try dir.write("corpus/empty.md", "")
            try dir.write("corpus/é-accent.txt", "Accented name\nsorted by UTF-8 bytes, after ASCII")
            let deep = try dir.write("corpus/sub/deeper/c.txt", "Gzipped title\ngzipped body\n")
            try dir.gzip(deep)
            try FileManager.default.removeItem(atPath: deep)
            // Ignored: other extensions.
            try dir.write("corpus/notes.json", #"{"id":"x","body":"not an article"}"#)
            try dir.write("corpus/image.png", bytes: [0x89, 0x50, 0x4E, 0x47])
            try dir.write("corpus/sub/data.csv", "id,body\n1,x\n")
            try dir.write("corpus/txt", "no extension")

            let reader = try CorpusReader(path: root)
            #expect(reader.format == .folder)
            let articles = try reader.readAll().articles
            #expect(articles.map(\.id) == [
                "B.txt", "Upper.TXT", "a.txt", "empty.md", "only-title.txt", "sub-x.txt", "sub/b.md",
                "sub/deeper/c.txt.gz", "é-accent.txt",
            ])
            let byID = Dictionary(uniqueKeysWithValues: articles.map { ($0.id, $0) })
            #expect(byID["a.txt"]?.title == "Title A")
            #expect(byID["a.txt"]?.body == "Body of a.\nSecond line.\n")
            #expect(byID["B.txt"]?.title == "Title B")
            #expect(byID["B.txt"]?.body == "body b")
            #expect(byID["sub/b.md"]?.title == "# Markdown title")
            #expect(byID["sub/b.md"]?.body == "\nmarkdown body")
            #expect(byID["sub/deeper/c.txt.gz"]?.title == "Gzipped title")
            #expect(byID["sub/deeper/c.txt.gz"]?.body == "gzipped body\n")
            #expect(byID["only-title.txt"]?.title == "Just a title")
            #expect(byID["only-title.txt"]?.body == "")
            #expect(byID["empty.md"] == Article(id: "empty.md", title: "", body: ""))
            #expect(articles.allSatisfy { $0.date == nil && $0.url == nil && $0.language == nil })
        }
    }

    @Test func trailingSlashOnTheRootGivesTheSameIds() throws {
        try withTemporaryDirectory { dir in
            try dir.write("corpus/x/one.txt", "One\nbody")
            try dir.write("corpus/two.md", "Two\nbody")
            let plain = try readArticles(dir.path("corpus"))
            let slashed = try readArticles(dir.path("corpus") + "/")
            #expect(plain.map(\.id) == ["two.md", "x/one.txt"])
            #expect(slashed == plain)
        }
    }

    /// Swift treats "\r\n" as one Character, so `text.firstIndex(of: "\n")` in TextFolder.decode never
    /// finds the end of a CRLF first line: the whole file becomes the title and the body is empty.
    @Test func crlfFirstLineEndsTheTitle() throws {
        try withTemporaryDirectory { dir in
            try dir.write("corpus/windows.txt", "  Title  \r\nFirst body line\r\nsecond\r\n")
            let articles = try readArticles(dir.path("corpus"))
            #expect(articles.first?.title == "Title")
            #expect(articles.first?.body == "First body line\r\nsecond\r\n")
        }
    }

    @Test func byteOrderMarkIsDropped() throws {
        try withTemporaryDirectory { dir in
            try dir.write("corpus/bom.txt", bytes: [0xEF, 0xBB, 0xBF] + Array("Title\nBody".utf8))
            #expect(try readArticles(dir.path("corpus")) == [Article(id: "bom.txt", title: "Title", body: "Body")])
        }
    }

    @Test func invalidUTF8FileIsAnErrorNamingThatFile() throws {
        try withTemporaryDirectory { dir in
            let root = dir.path("corpus")
            try dir.write("corpus/a.txt", "Fine\nbody")
            let bad = try dir.write("corpus/sub/bad.txt", bytes: Array("Title\nbody ".utf8) + [0xFF, 0xFE, 0x41])
            try dir.write("corpus/z.txt", "Fine too\nbody")
            let error = expectCorpusError(.invalidUTF8, file: bad, line: 1, field: "body") { _ = try readArticles(root) }
            #expect(error?.description.contains("sub/bad.txt") == true)

            let result = try CorpusReader(path: root, options: options(skipInvalid: true)).readAll()
            #expect(result.articles.map(\.id) == ["a.txt", "z.txt"])
            #expect(result.skipped.errors.map(\.file) == [bad])
        }
    }

    @Test func fileOverTheSizeLimitIsTooLarge() throws {
        try withTemporaryDirectory { dir in
            let root = dir.path("corpus")
            try dir.write("corpus/small.txt", "Small\nbody")
            let big = try dir.write("corpus/big.txt", "Big\n" + String(repeating: "word ", count: 100))
            expectCorpusError(.recordTooLarge, file: big, line: 1, field: nil) {
                _ = try readArticles(root, options(maxRecordBytes: 100))
            }
        }
    }

    @Test func manyFilesAcrossBatches() throws {
        try withTemporaryDirectory { dir in
            let root = dir.path("corpus")
            for index in 0..<600 {
                try dir.write("corpus/d\(index % 7)/file\(String(format: "%04d", index)).txt", "Title \(index)\nBody \(index)")
            }
            let records = try decodeAll(root)
            #expect(records.batchCount >= 3)
            let ids = records.articles.map(\.id)
            #expect(ids.count == 600)
            #expect(ids == ids.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
            #expect(records.articles.allSatisfy { $0.title == "Title " + $0.body.dropFirst(5) })
        }
    }

    @Test func emptyFolderIsAnEmptyCorpus() throws {
        try withTemporaryDirectory { dir in
            try dir.write("corpus/ignored.json", "{}")
            let root = dir.path("corpus")
            expectCorpusError(.emptyCorpus, file: root, line: nil, field: nil) { _ = try readArticles(root) }
        }
    }

    @Test func folderFormatOnAFileIsUnreadable() throws {
        try withTemporaryDirectory { dir in
            let path = try dir.write("file.txt", "x")
            expectCorpusError(.unreadableFile, file: path, line: nil, field: nil) {
                _ = try CorpusReader(path: path, options: options(format: .folder))
            }
        }
    }
}
