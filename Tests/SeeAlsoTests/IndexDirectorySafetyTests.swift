import Foundation
import Testing
import SeeAlso
import SeeAlsoTestSupport

/// An index directory is SeeAlso's: `build` refuses a folder holding other things (unless forced,
/// and even then removes nothing that is not its own), other writers refuse a folder with no index,
/// and neighbour ids are range-checked on open however the file's checksum was left.
@Suite struct IndexDirectorySafetyTests {
    static func userFolder(_ scratch: TemporaryDirectory) throws -> String {
        let folder = scratch.path("mine")
        try FileManager.default.createDirectory(atPath: folder + "/generation-photos", withIntermediateDirectories: true)
        try Data("keep".utf8).write(to: URL(fileURLWithPath: folder + "/notes.txt"))
        try Data("keep".utf8).write(to: URL(fileURLWithPath: folder + "/generation-photos/1.jpg"))
        try FileManager.default.createDirectory(atPath: folder + "/generation-000009-drafts", withIntermediateDirectories: true)
        return folder
    }

    @Test func buildRefusesAFolderThatIsNotAnIndexAndForceRemovesNothingOfTheUsers() throws {
        let scratch = try TemporaryDirectory("safe-dirs")
        defer { scratch.remove() }
        let folder = try Self.userFolder(scratch)
        let input = try writeJSONL(NewsWorld(seed: 81).articles(count: 60, seed: 1), to: scratch.path("in.jsonl"))
        let before = scratch.entries("mine")
        let refused = try SeeAlsoExecutable.run(["build", "--input", input, "--index", folder, "--quiet"])
        #expect(refused.exited && refused.status == 1 && refused.error.contains("not a SeeAlso index") && refused.error.contains("--force"),
                "\(refused.error)")
        #expect(scratch.entries("mine") == before, "a refused build wrote or removed something")

        try SeeAlsoExecutable.output(["build", "--input", input, "--index", folder, "--force", "--quiet"])
        try SeeAlsoExecutable.output(["build", "--input", input, "--index", folder, "--quiet"])   // now an index: replaced freely
        try SeeAlsoExecutable.output(["build", "--input", input, "--index", folder, "--quiet"])   // removes generation 1, its own
        let entries = scratch.entries("mine")
        for name in ["notes.txt", "generation-photos", "generation-000009-drafts"] { #expect(entries.contains(name), "\(name) was removed: \(entries)") }
        #expect(FileManager.default.fileExists(atPath: folder + "/generation-photos/1.jpg"))
        #expect(!entries.contains("generation-000001") && entries.contains("generation-000003"))
        #expect(try SeeAlsoEngine(path: folder).articleCount == 60)
    }

    @Test func writersOtherThanBuildRefuseAFolderWithoutAnIndexAndWriteNothing() throws {
        let scratch = try TemporaryDirectory("safe-writers")
        defer { scratch.remove() }
        let folder = try Self.userFolder(scratch)
        let input = try writeJSONL(NewsWorld(seed: 82).articles(count: 5, seed: 1), to: scratch.path("in.jsonl"))
        let before = scratch.entries("mine")
        for arguments in [["add", "--input", input], ["update", "--input", input], ["delete", "--id", "x"], ["refit"], ["cluster", "--k", "2"]] {
            let run = try SeeAlsoExecutable.run(arguments + ["--index", folder, "--quiet"])
            #expect(run.exited && run.status == 1 && run.error.contains("not a SeeAlso index"), "\(arguments[0]): \(run.error)")
            #expect(scratch.entries("mine") == before, "\(arguments[0]) wrote into the folder (a LOCK file?)")
        }
        let missing = try SeeAlsoExecutable.run(["add", "--input", input, "--index", scratch.path("nowhere"), "--quiet"])
        #expect(missing.status == 1 && !FileManager.default.fileExists(atPath: scratch.path("nowhere")))
    }

    /// Builds an index of 40 articles of `world` at `scratch/index` with the CLI and returns its path.
    static func builtIndex(_ world: NewsWorld, in scratch: TemporaryDirectory) throws -> String {
        let input = try writeJSONL(world.articles(count: 40, seed: 1), to: scratch.path("in.jsonl"))
        try SeeAlsoExecutable.output(["build", "--input", input, "--index", scratch.path("index"), "--quiet"])
        return scratch.path("index")
    }

    /// A directory the writer cannot create (here `changes` is a file) is reported with its path before
    /// any work, not as a raw Foundation error after it.
    @Test func anUncreatableFolderIsNamedBeforeTheWork() throws {
        let scratch = try TemporaryDirectory("uncreatable")
        defer { scratch.remove() }
        let world = NewsWorld(seed: 83)
        let index = try Self.builtIndex(world, in: scratch)
        try FileManager.default.removeItem(atPath: index + "/changes")
        try Data().write(to: URL(fileURLWithPath: index + "/changes"))
        let added = try writeJSONL(world.articles(count: 3, seed: 2, idPrefix: "n"), to: scratch.path("added.jsonl"))
        let run = try SeeAlsoExecutable.run(["add", "--input", added, "--index", index])
        #expect(run.exited && run.status == 1 && run.error.contains(index + "/changes: cannot create the directory"), "\(run.error)")
        #expect(!run.error.contains("NSCocoaErrorDomain") && !run.error.contains("related lists"), "\(run.error)")
    }

    /// A temporary CURRENT file left by a writer killed while publishing is removed by the next writer.
    @Test func aStaleTemporaryCurrentFileIsRemovedByTheNextWriter() throws {
        let scratch = try TemporaryDirectory("stale-current")
        defer { scratch.remove() }
        let index = try Self.builtIndex(NewsWorld(seed: 84), in: scratch)
        try Data("generation-000001\n".utf8).write(to: URL(fileURLWithPath: index + "/.CURRENT.tmp-4242-17"))
        try SeeAlsoExecutable.output(["delete", "--id", "a3", "--index", index, "--quiet"])
        #expect(!scratch.entries("index").contains { $0.hasPrefix(".CURRENT.tmp-") }, "\(scratch.entries("index"))")
    }
}
