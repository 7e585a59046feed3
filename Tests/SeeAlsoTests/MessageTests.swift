import Foundation
import Testing
import SeeAlso
import SeeAlsoTestSupport

/// Messages that name the real problem (hardening item 9, in part).
@Suite struct MessageTests {
    @Test func quietRunsStillReportSkippedRecordsAndCountThemInJSON() throws {
        try withTemporaryDirectory("quiet-skips") { dir in
            let good = NewsWorld(seed: 95).articles(count: 30, seed: 1)
            var text = try String(contentsOfFile: try writeJSONL(good, to: dir.path("good.jsonl")), encoding: .utf8)
            text += "{ not json\n"
            let input = try dir.write("mixed.jsonl", text)
            let build = try SeeAlsoExecutable.run(["build", "--input", input, "--index", dir.path("index"), "--skip-invalid", "--quiet",
                                                   "--format", "json"])
            #expect(build.status == 0 && build.error.contains("skipped 1") && build.error.contains("mixed.jsonl:31"), "\(build.error)")
            #expect(build.output.contains("\"skippedRecordCount\":1"))
            let extra = try dir.write("extra.jsonl", "{ also not json\n" + (try String(contentsOfFile: try writeJSONL(
                NewsWorld(seed: 95).articles(count: 3, seed: 2, idPrefix: "x"), to: dir.path("x.jsonl")), encoding: .utf8)))
            let add = try SeeAlsoExecutable.run(["add", "--input", extra, "--index", dir.path("index"), "--skip-invalid", "--quiet",
                                                 "--format", "json"])
            #expect(add.status == 0 && add.error.contains("skipped 1") && add.output.contains("\"skippedRecordCount\":1"), "\(add.error)")
        }
    }

    /// With --skip-invalid, an added article whose id the index already holds is skipped and reported
    /// like any invalid record, by `add` and by `add --refit`; the other articles are added.
    @Test func skipInvalidSkipsAnAddedIDTheIndexHolds() throws {
        try withTemporaryDirectory("skip-present") { dir in
            let world = NewsWorld(seed: 98)
            let old = world.articles(count: 30, seed: 1)
            let index = dir.path("index")
            try SeeAlsoExecutable.output(["build", "--input", try writeJSONL(old, to: dir.path("old.jsonl")), "--index", index, "--quiet"])
            var new = world.articles(count: 3, seed: 2, idPrefix: "n")
            new[1].id = old[2].id
            let input = try writeJSONL(new, to: dir.path("new.jsonl"))
            for command in [["add"], ["add", "--refit"]] {
                let run = try SeeAlsoExecutable.run(command + ["--input", input, "--index", index, "--skip-invalid", "--quiet", "--format", "json"])
                #expect(run.status == 0 && run.error.contains("skipped 1 invalid record; first: ") && run.error.contains("\"\(old[2].id)\" is already in the index"),
                        "\(command): \(run.error)")
                #expect(run.output.contains("\"skippedRecordCount\":1") && run.output.contains("\"addedCount\":2"), "\(command): \(run.output)")
                try SeeAlsoExecutable.output(["delete", "--id", "n0,n2", "--index", index, "--quiet"])
            }
        }
    }

    @Test func inputMistakesAreNamedForWhatTheyAre() throws {
        try withTemporaryDirectory("messages") { dir in
            let input = try writeJSONL(NewsWorld(seed: 96).articles(count: 20, seed: 1), to: dir.path("in.jsonl"))
            let index = dir.path("index")
            try SeeAlsoExecutable.output(["build", "--input", input, "--index", index, "--quiet"])
            let missing = try SeeAlsoExecutable.run(["related", "--index", index, "--text-file", dir.path("missing.txt")])
            #expect(missing.status != 0 && missing.error.contains("missing.txt: no such file"), "\(missing.error)")
            let folder = try SeeAlsoExecutable.run(["build", "--input", dir.path(""), "--input-format", "jsonl", "--index", dir.path("other"), "--quiet"])
            #expect(folder.status != 0 && folder.error.contains("--input-format folder"), "\(folder.error)")
        }
    }

    @Test func standardInputMustBeUTF8AsArchivesMustBe() throws {
        try withTemporaryDirectory("stdin-utf8") { dir in
            let input = try writeJSONL(NewsWorld(seed: 97).articles(count: 20, seed: 1), to: dir.path("in.jsonl"))
            let index = dir.path("index")
            try SeeAlsoExecutable.output(["build", "--input", input, "--index", index, "--quiet"])
            let process = Process()
            process.executableURL = try SeeAlsoExecutable.require()
            process.arguments = ["related", "--index", index, "--stdin"]
            let stdin = Pipe(), stderr = Pipe()
            process.standardInput = stdin
            process.standardError = stderr
            process.standardOutput = Pipe()
            try process.run()
            stdin.fileHandleForWriting.write(Data([0x7B, 0x22, 0x62, 0x6F, 0x64, 0x79, 0x22, 0x3A, 0x22, 0xFF, 0xFE, 0x22, 0x7D]))  // {"body":"\xFF\xFE"}
            try stdin.fileHandleForWriting.close()
            let error = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus != 0 && error.contains("<stdin>: not valid UTF-8"), "\(error)")
        }
    }
}
