import Foundation
import Testing
import SeeAlso
import SeeAlsoTestSupport

/// Questions that used to get a silent wrong answer with exit 0 now fail with a message naming the option.
@Suite struct FailLoudlyTests {
    /// Runs seealso and expects a failure whose message contains every one of `named`.
    static func expectRefusal(_ arguments: [String], naming named: [String], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let run = try SeeAlsoExecutable.run(arguments)
        #expect(run.exited && run.status != 0, "\(arguments) exited \(run.status)", sourceLocation: sourceLocation)
        for text in named {
            #expect(run.error.contains(text), "\(arguments): \(run.error)", sourceLocation: sourceLocation)
        }
        #expect(run.output.isEmpty, "\(arguments) printed \(run.output)", sourceLocation: sourceLocation)
    }

    @Test func silentAnswersAreRefused() throws {
        try withTemporaryDirectory { scratch in
            // Dated articles with labels but no events; the index stores lists of 20.
            let articles = NewsWorld(seed: 5, topicCount: 3).articles(count: 60, seed: 2).map { article -> Article in
                var article = article
                article.event = nil
                return article
            }
            try EngineFixtures.build(articles, in: scratch, options: EngineFixtures.options(k: 20))
            let index = scratch.path("index")
            let id = articles[3].id
            let draft = scratch.path("draft.txt")
            try "Budget vote\nThe council voted on the budget.\n".write(toFile: draft, atomically: true, encoding: .utf8)

            try Self.expectRefusal(["eval", "--index", index, "--gold", "event"], naming: ["'event'", "--gold"])
            try Self.expectRefusal(["related", "--index", index, "--text-file", draft, "--before"], naming: ["has no date", "--date"])
            try Self.expectRefusal(["related", "--index", index, "--text-file", draft, "--within", "30d"], naming: ["has no date"])
            try Self.expectRefusal(["related", "--index", index, "--id", id, "--date", "2017-01-01"], naming: ["--date", "--text-file"])
            for pattern in ["", "'on the day'", "GGGG"] {
                try Self.expectRefusal(["related", "--index", index, "--id", id, "--date-format", pattern], naming: ["--date-format"])
            }
            for (option, value) in [("--min-score", "nan"), ("--min-score", "2"), ("--mmr-lambda", "nan"), ("--duplicate-threshold", "-1"), ("-k", "0")] {
                try Self.expectRefusal(["related", "--index", index, "--id", id, option, value], naming: [option == "-k" ? "k" : option])
            }
            try Self.expectRefusal(["related", "--index", index, "--all", "-k", "50", "--format", "jsonl"], naming: ["stored list length 20"])
            try Self.expectRefusal(["related", "--index", index, "--id", id, "--stored", "-k", "21"], naming: ["stored list length 20"])

            // What stays allowed: a dated text with --before, --date on --stdin, iso and real patterns, k up to the stored length.
            try SeeAlsoExecutable.output(["related", "--index", index, "--text-file", draft, "--date", "2017-03-01", "--before"])
            for pattern in ["iso", "yyyy-MM-dd", "MMMM"] { try SeeAlsoExecutable.output(["related", "--index", index, "--id", id, "--date-format", pattern]) }
            try SeeAlsoExecutable.output(["related", "--index", index, "--all", "-k", "20", "--format", "jsonl"])
            #expect(try SeeAlsoExecutable.output(["eval", "--index", index, "--gold", "label"]).contains("P@1"))
        }
    }
}
