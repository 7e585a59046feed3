import Foundation
import Testing
import SeeAlsoTestSupport

/// Options that size memory or threads are checked before any work, naming the option and its range.
@Suite struct OptionBoundsTests {
    @Test(arguments: [
        (["build", "--k", "1000000000"], "--k must be at most 10000, got 1000000000"),
        (["build", "--threads", "100000"], "--threads must be between 1 and 1024, got 100000"),
        (["build", "--threads", "0"], "--threads must be between 1 and 1024, got 0"),
        (["build", "--max-record-bytes=-5"], "--max-record-bytes must be at least 1, got -5"),
        (["cluster", "--method", "minibatch", "--batch-size", "0"], "--batch-size must be at least 1, got 0"),
        (["cluster", "--method", "minibatch", "--batch-size=-3"], "--batch-size must be at least 1, got -3"),
    ])
    func outOfRangeOptionsAreRefusedBeforeAnyWork(arguments: [String], message: String) throws {
        try withTemporaryDirectory("bounds") { dir in
            // The input does not even exist: the option is refused before anything is read.
            let run = try SeeAlsoExecutable.run(arguments + ["--input", dir.path("missing.jsonl")]
                                                + (arguments[0] == "build" ? ["--index", dir.path("index")] : []))
            #expect(run.exited && run.status != 0, "\(arguments)")
            #expect(run.error.contains(message), "\(arguments): \(run.error)")
            #expect(!FileManager.default.fileExists(atPath: dir.path("index")))
        }
    }
}
