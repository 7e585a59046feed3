import Foundation
import Testing
import SeeAlso
import SeeAlsoTestSupport

/// An index answers on a machine without `Models/`: it keeps the stop-word lists it was built with.
@Suite struct SelfContainedIndexTests {
    static let hiddenModels = ["SEEALSO_MODELS": "/nonexistent/seealso-models"]

    @Test func queriesAndWritesNeedNoModelsFolder() throws {
        try withTemporaryDirectory { scratch in
            let world = NewsWorld(seed: 7, topicCount: 3, storiesPerTopic: 2)
            let input = try writeJSONL(world.articles(count: 80, seed: 1), to: scratch.path("archive.jsonl"))
            let index = scratch.path("index")
            // Without the lists, building (which reads them) fails and names what it looked for.
            let refused = try SeeAlsoExecutable.run(["build", "--input", input, "--index", index, "--quiet"], environment: Self.hiddenModels)
            #expect(refused.status != 0)
            #expect(refused.error.contains("stopwords/") && refused.error.contains("/nonexistent/seealso-models"), "\(refused.error)")
            try SeeAlsoExecutable.output(["build", "--input", input, "--index", index, "--quiet"])

            let draft = scratch.path("draft.txt")
            try "The vote on the budget\nThe council and the mayor said that the budget vote would be held on the day of the storm.\n"
                .write(toFile: draft, atomically: true, encoding: .utf8)
            let query = ["related", "--index", index, "--text-file", draft, "--format", "json", "--explain", "3"]
            let withModels = try SeeAlsoExecutable.output(query)
            let hidden = try SeeAlsoExecutable.run(query, environment: Self.hiddenModels)
            #expect(hidden.status == 0, "\(hidden.error)")
            #expect(hidden.output == withModels)
            #expect(!withModels.contains("\"term\":\"the\""), "stop words were not dropped")

            let added = try writeJSONL(world.articles(count: 5, seed: 2, idPrefix: "n"), to: scratch.path("added.jsonl"))
            let add = try SeeAlsoExecutable.run(["add", "--index", index, "--input", added, "--quiet"], environment: Self.hiddenModels)
            #expect(add.status == 0, "\(add.error)")
            let refit = try SeeAlsoExecutable.run(["refit", "--index", index, "--quiet"], environment: Self.hiddenModels)
            #expect(refit.status == 0, "\(refit.error)")
            #expect(try SeeAlsoEngine(path: index).articleCount == 85)
        }
    }

    @Test func versionIsPrintedAndRecordedInTheIndex() throws {
        #expect(try SeeAlsoExecutable.output(["--version"]) == "seealso \(SeeAlsoVersion.current)\n")
        try withTemporaryDirectory { scratch in
            try EngineFixtures.build(NewsWorld(seed: 3).articles(count: 30, seed: 1), in: scratch, options: EngineFixtures.options(k: 5))
            #expect(try SeeAlsoEngine(path: scratch.path("index")).manifest.writtenBy == "seealso \(SeeAlsoVersion.current)")
        }
    }
}
