import Foundation
import Testing
import SeeAlso
import SeeAlsoTestSupport

/// Bad input through the façade: clear errors, and indexes left as they were.
@Suite struct EngineBadInputTests {
    static func index(_ scratch: TemporaryDirectory, count: Int = 150) throws -> (articles: [Article], engine: SeeAlsoEngine) {
        let articles = NewsWorld(seed: 91).articles(count: count, seed: 92, idPrefix: "old")
        try EngineFixtures.build(articles, in: scratch, options: EngineFixtures.options(k: 6))
        return (articles, try SeeAlsoEngine(path: scratch.path("index")))
    }

    @Test func unknownIdsAreUnknownArticles() throws {
        let scratch = try TemporaryDirectory("bad-id")
        defer { scratch.remove() }
        let (articles, engine) = try Self.index(scratch)
        for id in ["", "nope", articles[0].id + "x", " " + articles[1].id] {
            #expect(engine.article(withID: id) == nil)
            #expect { try engine.related(toArticleWithID: id) } throws: { error in
                guard case IndexError.unknownArticle(let unknown)? = error as? IndexError else { return false }
                return unknown == id && "\(error)".contains("no article with id")
            }
        }
        #expect(engine.article(withID: articles[3].id)?.title == articles[3].title)
    }

    /// Default options with the one named option out of range.
    static func options(with invalid: String) -> BuildOptions {
        var options = BuildOptions()
        switch invalid {
        case "k": options.k = 0
        case "dimensions": options.partitioned.dimensions = 0
        case "candidates-per-row": options.partitioned.candidatesPerRow = -3
        case "refine-fanout": options.partitioned.refineFanout = 0
        case "vote-max-documents": options.partitioned.votes.maxDocuments = 0
        case "vote-terms": options.partitioned.votes.terms = -1
        case "vote-keep": options.partitioned.votes.keep = -1
        case "vote-budget": options.partitioned.votes.budget = -1
        case "refine-rounds": options.partitioned.refineRounds = -1
        case "recall-sample": options.recallSample = -1
        case "partitions": options.partitioned.candidates = .partitions(count: 0, probes: 3)
        case "probes": options.partitioned.candidates = .partitions(count: nil, probes: 0)
        default: Issue.record("no such option \(invalid)")
        }
        return options
    }

    @Test(arguments: ["k", "dimensions", "candidates-per-row", "refine-fanout", "vote-max-documents", "vote-terms", "vote-keep",
                      "vote-budget", "refine-rounds", "recall-sample", "partitions", "probes"])
    func buildOptionsOutOfRangeNameTheOption(option: String) throws {
        let scratch = try TemporaryDirectory("bad-options")
        defer { scratch.remove() }
        let input = try writeJSONL(NewsWorld(seed: 93).articles(count: 20, seed: 94), to: scratch.path("archive.jsonl"))
        let options = Self.options(with: option)
        #expect { try options.validate() } throws: { ($0 as? BuildOptionsError)?.option == option }
        let bound = ["k", "dimensions", "candidates-per-row", "refine-fanout", "vote-max-documents", "partitions", "probes"]
            .contains(option) ? "be at least 1" : "not be negative"
        #expect { try SeeAlsoEngine.build(ArchiveInput(input), into: scratch.path("index"), options: options) } throws: { error in
            guard let error = error as? BuildOptionsError else { return false }
            return error.option == option && error.description == "--\(option) must \(bound), got \(error.value)"
        }
        // Nothing was written.
        #expect(!FileManager.default.fileExists(atPath: scratch.path("index")))
    }

    /// The CLI names an out-of-range value by the flag the user typed, not by the option's name in `BuildOptions`.
    @Test(arguments: [("--dense-candidates", "0", "be at least 1"), ("--sparse-terms", "-1", "not be negative"),
                      ("--sparse-candidates", "-1", "not be negative"), ("--sparse-max-df", "0", "be at least 1"),
                      ("--sparse-budget", "-1", "not be negative"), ("--check-recall", "-1", "not be negative"),
                      ("--refine-rounds", "-1", "not be negative"), ("--k", "0", "be at least 1")])
    func buildFlagsOutOfRangeAreNamedAsTyped(flag: String, value: String, bound: String) throws {
        let scratch = try TemporaryDirectory("bad-flags")
        defer { scratch.remove() }
        let input = try writeJSONL(NewsWorld(seed: 93).articles(count: 20, seed: 94), to: scratch.path("archive.jsonl"))
        let run = try SeeAlsoExecutable.run(["build", "--input", input, "--index", scratch.path("index"), "\(flag)=\(value)", "--quiet"])
        #expect(run.exited && run.status != 0)
        #expect(run.error.contains("\(flag) must \(bound), got \(value)"), "\(run.error)")
        #expect(!FileManager.default.fileExists(atPath: scratch.path("index")))
    }

    @Test func evaluationAndRecallOutsideTheStoredListsThrow() throws {
        let scratch = try TemporaryDirectory("bad-evaluate")
        defer { scratch.remove() }
        let (_, engine) = try Self.index(scratch)
        #expect(engine.manifest.k == 6)
        #expect(try engine.evaluate(gold: .event, k: 6).lists.k == 6)
        for k in [7, 0, -1] {
            #expect { try engine.evaluate(gold: .label, k: k) } throws: { error in
                guard case IndexError.invalid(let message)? = error as? IndexError else { return false }
                return message.contains("\(k)") && message.contains("6")
            }
        }
        // Exact lists: recall@k (k ≤ the stored k) is 1.
        let recall = try engine.measureRecall(sampleSize: 20, at: 6)
        #expect(recall.recall == 1 && recall.at == 6 && recall.rows > 0)
        for (sample, first) in [(0, 0), (10, 150), (10, -1)] {
            #expect(throws: IndexError.self) { try engine.measureRecall(sampleSize: sample, firstRow: first) }
        }
    }

    @Test func addRejectsIdsAlreadyInTheIndexAndLeavesItUntouched() throws {
        let scratch = try TemporaryDirectory("bad-add")
        defer { scratch.remove() }
        let (old, _) = try Self.index(scratch)
        let indexPath = scratch.path("index")
        let before = try Index(path: indexPath, verify: true)
        let generation = before.generationPath
        let lists = before.lists()
        var new = NewsWorld(seed: 91).articles(count: 20, seed: 95, idPrefix: "new")
        new[7].id = old[42].id
        let input = try writeJSONL(new, to: scratch.path("new.jsonl"))
        #expect { try SeeAlsoEngine.add(ArchiveInput(input), to: indexPath) } throws: { error in
            guard let error = error as? CorpusError else { return false }
            return error.kind == .duplicateID && error.message.contains(old[42].id)
        }
        let after = try Index(path: indexPath, verify: true)
        #expect(after.articleCount == old.count && after.generationPath == generation && after.lists() == lists)
        #expect(scratch.entries("index").filter { $0.hasPrefix("generation-") } == [URL(fileURLWithPath: generation).lastPathComponent])
    }

    @Test func missingIndexesAndStoriesWithoutAnIndex() throws {
        let scratch = try TemporaryDirectory("bad-paths")
        defer { scratch.remove() }
        let input = try writeJSONL(NewsWorld(seed: 96).articles(count: 30, seed: 97), to: scratch.path("archive.jsonl"))
        func isNotAnIndex(_ error: any Error) -> Bool {
            if case IndexError.notAnIndex? = error as? IndexError { return true }
            return false
        }
        #expect(performing: { try SeeAlsoEngine(path: scratch.path("nowhere")) }, throws: isNotAnIndex)
        #expect(performing: { try SeeAlsoEngine.add(ArchiveInput(input), to: scratch.path("nowhere")) }, throws: isNotAnIndex)
        var stories = ClusterOptions()
        stories.kind = .stories
        #expect { try SeeAlsoEngine.cluster(ArchiveInput(input), options: stories) } throws: { error in
            guard case IndexError.invalid(let message)? = error as? IndexError else { return false }
            return message.contains("stories need an index")
        }
        #expect(throws: CorpusError.self) { try SeeAlsoEngine.build(ArchiveInput(scratch.path("missing.jsonl")), into: scratch.path("index")) }
        #expect(!FileManager.default.fileExists(atPath: scratch.path("index")))
    }
}
