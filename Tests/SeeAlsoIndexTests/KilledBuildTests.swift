import Foundation
import Testing
import SeeAlsoCorpus
import SeeAlsoIndex
import SeeAlsoTestSupport

/// `seealso build` killed with SIGKILL while it writes a new generation leaves the previous index intact.
@Suite(.serialized) struct KilledBuildTests {
    /// `seealso build` that must exit 0 (`SeeAlsoExecutable.output` throws with its standard error otherwise).
    static func buildWithCLI(_ input: String, index: String) throws {
        try SeeAlsoExecutable.output(["build", "--input", input, "--index", index, "--quiet", "--k", "6"])
    }

    @Test func aKilledBuildLeavesThePreviousIndexAndItsLeftoversAreCleanedLater() throws {
        let executable = try SeeAlsoExecutable.require()
        let scratch = try TemporaryDirectory("killed")
        defer { scratch.remove() }
        let world = NewsWorld(seed: 61)
        let indexPath = scratch.path("idx")
        let smallInput = try writeJSONL(world.articles(count: 200, seed: 1, idPrefix: "small"), to: scratch.path("small.jsonl"))
        try Self.buildWithCLI(smallInput, index: indexPath)
        let original = try Index(path: indexPath, verify: true)
        let originalLists = original.lists()
        let originalMetadata = original.allMetadata()
        var originalCurrent = try String(contentsOfFile: indexPath + "/CURRENT", encoding: .utf8)

        var count = 8_000
        var killedWhilePublishing = false
        var leftover: [String] = []
        for attempt in 0..<3 where !killedWhilePublishing {
            let bigInput = try writeJSONL(world.articles(count: count, seed: 10 + UInt64(attempt), idPrefix: "big"),
                                                        to: scratch.path("big-\(attempt).jsonl"))
            let process = Process()
            process.executableURL = executable
            process.arguments = ["build", "--input", bigInput, "--index", indexPath, "--quiet"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            // Wait for the new generation's folder to appear, then kill the writer.
            var sawPartial = false
            while process.isRunning {
                if scratch.entries("idx").contains(where: { $0.hasPrefix("generation-") && $0.hasSuffix(".partial") }) {
                    kill(process.processIdentifier, SIGKILL)
                    sawPartial = true
                    break
                }
                usleep(200)
            }
            process.waitUntilExit()
            let current = try String(contentsOfFile: indexPath + "/CURRENT", encoding: .utf8)
            if sawPartial && process.terminationReason == .uncaughtSignal && current == originalCurrent {
                killedWhilePublishing = true
                leftover = scratch.entries("idx").filter { $0.hasSuffix(".partial") }
            } else {
                // The build finished (or published) before the kill: restore index A and retry with a bigger input.
                try Self.buildWithCLI(smallInput, index: indexPath)
                originalCurrent = try String(contentsOfFile: indexPath + "/CURRENT", encoding: .utf8)
                count *= 2
            }
        }
        try #require(killedWhilePublishing, "could not kill seealso build while it was writing its generation")
        #expect(!leftover.isEmpty, "the killed build should have left its partial folder: \(scratch.entries("idx"))")

        // The index is still index A (its current generation may have been rebuilt by a retry).
        let survivor = try Index(path: indexPath, verify: true)
        #expect(survivor.articleCount == 200)
        #expect(survivor.lists() == originalLists)
        #expect(survivor.allMetadata() == originalMetadata)

        // The next successful build removes the leftovers.
        let nextInput = try writeJSONL(world.articles(count: 150, seed: 3, idPrefix: "next"), to: scratch.path("next.jsonl"))
        try Self.buildWithCLI(nextInput, index: indexPath)
        let names = scratch.entries("idx")
        #expect(!names.contains { $0.hasSuffix(".partial") }, "\(names)")
        #expect(names.filter { $0.hasPrefix("generation-") }.count == 2, "the live generation and the one it replaced: \(names)")
        #expect(try Index(path: indexPath, verify: true).articleCount == 150)
    }

    @Test func theExecutableIsFound() throws {
        let url = try SeeAlsoExecutable.require()
        let run = try SeeAlsoExecutable.run(["--help"])
        #expect(run.exited && run.status == 0, "\(url.path): \(run.error.prefix(300))")
        #expect(run.output.contains("build"))
    }
}
