import Foundation
import Testing
import SeeAlsoCorpus
import SeeAlsoTestSupport

/// `OutputFile`: atomic output, gzip-compressed on the fly for `.gz` names.
@Suite struct OutputFileTests {
    static func lines(_ count: Int) -> [[UInt8]] {
        (0..<count).map { Array(#"{"id":"\#($0)","body":"hello world, again and again"}"#.utf8) + [0x0A] }
    }

    @Test func writesAGzipFileThatTheReaderDecodes() throws {
        try withTemporaryDirectory { directory in
            let path = directory.path("small.jsonl.gz")
            let writer = try OutputFile(path: path, gzipLevel: 3)
            #expect(writer.isGzip)
            var total = 0
            for line in Self.lines(5_000) {
                try writer.write(line)
                total += line.count
            }
            try writer.commit()
            #expect(writer.bytesWritten == total)
            #expect(writer.storedBytes < writer.bytesWritten / 5)
            let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int
            #expect(size == writer.storedBytes)
            let articles = try readArticles(path)
            #expect(articles.count == 5_000)
            #expect(articles.last?.id == "4999")
            #expect(articles.first?.body == "hello world, again and again")
        }
    }

    @Test func writesPlainFilesAsTheyAre() throws {
        try withTemporaryDirectory { directory in
            let path = directory.path("plain.jsonl")
            let writer = try OutputFile(path: path)
            #expect(!writer.isGzip)
            let lines = Self.lines(100)
            for line in lines { try writer.write(line) }
            try writer.commit()
            #expect(writer.storedBytes == writer.bytesWritten)
            #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data(lines.joined()))
            #expect(try readArticles(path).count == 100)
        }
    }

    @Test func anUncommittedWriterLeavesNothingBehind() throws {
        try withTemporaryDirectory { directory in
            for name in ["abandoned.jsonl.gz", "abandoned.jsonl"] {
                do {
                    let writer = try OutputFile(path: directory.path(name))
                    try writer.write(Array("partial".utf8))
                }
                #expect(directory.entries().isEmpty)
            }
        }
    }

    @Test func anUncommittedRewriteKeepsTheOldFile() throws {
        try withTemporaryDirectory { directory in
            let path = directory.path("kept.jsonl.gz")
            let first = try OutputFile(path: path)
            try first.write(Array(Self.lines(10).joined()))
            try first.commit()
            let before = try Data(contentsOf: URL(fileURLWithPath: path))
            do {
                let second = try OutputFile(path: path)
                try second.write(Array("replacement".utf8))
            }
            #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
            #expect(directory.entries() == ["kept.jsonl.gz"])
        }
    }

    @Test func equalInputGivesEqualFiles() throws {
        try withTemporaryDirectory { directory in
            var files: [Data] = []
            for name in ["a.gz", "b.gz"] {
                let writer = try OutputFile(path: directory.path(name), gzipLevel: 1)
                try writer.write(Array(String(repeating: "synthetic news ", count: 10_000).utf8))
                try writer.commit()
                files.append(try Data(contentsOf: URL(fileURLWithPath: directory.path(name))))
            }
            #expect(files[0] == files[1])
        }
    }

    @Test func badLevelsAndMisuseAreErrors() throws {
        try withTemporaryDirectory { directory in
            #expect(throws: OutputFileError.self) { try OutputFile(path: directory.path("x.gz"), gzipLevel: 0) }
            #expect(throws: OutputFileError.self) { try OutputFile(path: directory.path("missing-folder/x.jsonl")) }
            let writer = try OutputFile(path: directory.path("twice.gz"))
            try writer.commit()
            #expect(throws: OutputFileError.self) { try writer.commit() }
        }
    }
}
