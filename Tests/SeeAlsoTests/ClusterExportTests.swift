import Foundation
import Testing
import SeeAlso
import SeeAlsoTestSupport

/// `seealso cluster --format jsonl` and `--assignments`: one line per article with its topic and story,
/// ids numbered by size (stable for the same seed and input) and the same ids the index, `related`
/// and later writes show.
@Suite struct ClusterExportTests {
    static let world = NewsWorld(seed: 33, topicCount: 4, storiesPerTopic: 3)

    static func build(_ scratch: TemporaryDirectory) throws -> (index: String, articles: [Article]) {
        let articles = world.articles(count: 150, seed: 4)
        try EngineFixtures.build(articles, in: scratch, options: EngineFixtures.options(k: 8))
        return (scratch.path("index"), articles)
    }

    static func lines(_ text: String) throws -> [ArticleClusters] {
        try text.split(separator: "\n").map { try JSONDecoder().decode(ArticleClusters.self, from: Data($0.utf8)) }
    }

    @Test func sameSeedGivesTheSameIDsNumberedBySize() throws {
        let scratch = try TemporaryDirectory("cluster-ids")
        defer { scratch.remove() }
        let (index, articles) = try Self.build(scratch)
        var options = ClusterOptions()
        options.topics.clusterCount = 5
        options.topics.seed = 9
        options.store = false
        options.reportAssignments = true
        let engine = try SeeAlsoEngine(path: index)
        let first = try engine.cluster(options: options)
        let second = try engine.cluster(options: options)
        #expect(first.assignments == second.assignments && !first.assignments.isEmpty)
        #expect(first.assignments.map(\.id) == articles.map(\.id))
        #expect(first.assignments.allSatisfy { $0.topic != nil && $0.story == nil })
        let sizes = first.descriptions.sorted { $0.id < $1.id }.map(\.size)
        #expect(sizes == sizes.sorted(by: >) && sizes.count == 5, "\(sizes)")
        for description in first.descriptions {
            #expect(first.assignments.filter { $0.topic == description.id }.count == description.size)
        }
        // Stories too: numbered by size, and only stories of more than one article are given.
        options.kind = .stories
        let stories = try engine.cluster(options: options)
        #expect(try engine.cluster(options: options).assignments == stories.assignments)
        let storySizes = stories.descriptions.sorted { $0.id < $1.id }.map(\.size)
        #expect(storySizes == storySizes.sorted(by: >) && storySizes.allSatisfy { $0 > 1 })
        #expect(Set(stories.assignments.compactMap(\.story)) == Set(stories.descriptions.map(\.id)))
        #expect(stories.assignments.allSatisfy { $0.topic == nil })
    }

    @Test func jsonlLinesAndTheAssignmentsFileAgreeWithRelated() throws {
        let scratch = try TemporaryDirectory("cluster-jsonl")
        defer { scratch.remove() }
        let (index, articles) = try Self.build(scratch)
        let file = scratch.path("topics.jsonl")
        let printed = try SeeAlsoExecutable.output(["cluster", "--index", index, "--k", "4", "--format", "jsonl", "--assignments", file, "--quiet"])
        #expect(try String(contentsOfFile: file, encoding: .utf8) == printed)
        let topics = try Self.lines(printed)
        #expect(topics.count == articles.count && Set(topics.map(\.id)) == Set(articles.map(\.id)))
        #expect(printed.split(separator: "\n").first?.contains(#""story":null"#) == true)

        // Stories, with the summary on standard output and the lines in the file; the stored topics come along.
        let summary = try SeeAlsoExecutable.output(["cluster", "--index", index, "--method", "stories", "--format", "json",
                                                    "--assignments", file, "--quiet"])
        #expect(summary.hasPrefix("{") && summary.contains(#""kind":"stories""#))
        let both = try Self.lines(try String(contentsOfFile: file, encoding: .utf8))
        #expect(both.map(\.id) == topics.map(\.id) && both.map(\.topic) == topics.map(\.topic))
        #expect(both.contains { $0.story != nil })

        // `related` and the engine show the same ids.
        let engine = try SeeAlsoEngine(path: index)
        for line in both.prefix(40) {
            let list = try engine.related(toArticleWithID: line.id)
            #expect(list.topic == line.topic && list.story == line.story, "\(line.id)")
            #expect(engine.clusters(ofArticleWithID: line.id).topic == line.topic)
        }
    }

    @Test func clusteringAnArchiveWritesTheLines() throws {
        let scratch = try TemporaryDirectory("cluster-input")
        defer { scratch.remove() }
        let articles = Self.world.articles(count: 80, seed: 5)
        let input = try writeJSONL(articles, to: scratch.path("archive.jsonl"))
        let arguments = ["cluster", "--input", input, "--k", "3", "--min-df", "1", "--quiet"]
        let printed = try SeeAlsoExecutable.output(arguments + ["--format", "jsonl"])
        let lines = try Self.lines(printed)
        #expect(lines.map(\.id) == articles.map(\.id) && lines.allSatisfy { $0.topic != nil && $0.story == nil })
        #expect(try SeeAlsoExecutable.output(arguments + ["--format", "jsonl"]) == printed)
        let file = scratch.path("lines.jsonl")
        let text = try SeeAlsoExecutable.output(arguments + ["--assignments", file])
        let written = try String(contentsOfFile: file, encoding: .utf8)
        #expect(text.hasPrefix("topics: 3") && written == printed)
        let unwritable = try SeeAlsoExecutable.run(arguments + ["--assignments", scratch.path("missing/lines.jsonl")])
        #expect(unwritable.exited && unwritable.status != 0 && unwritable.error.contains("missing/lines.jsonl"), "\(unwritable.error)")
    }

    /// `cluster --input` reads the archive with the input options, as `build` does: a CSV export with its
    /// own column names clusters as the same articles in JSON Lines; with --index those options are refused.
    @Test func clusteringAnArchiveHonoursTheInputOptions() throws {
        let scratch = try TemporaryDirectory("cluster-input-options")
        defer { scratch.remove() }
        let articles = Self.world.articles(count: 60, seed: 8)
        let jsonl = try writeJSONL(articles, to: scratch.path("archive.jsonl"))
        func quoted(_ field: String) -> String { "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        let rows = ["Key,Headline,Text"] + articles.map { [$0.id, $0.title, $0.body].map(quoted).joined(separator: ",") }
        let csv = scratch.path("export.csv")
        try (rows.joined(separator: "\n") + "\n").write(toFile: csv, atomically: true, encoding: .utf8)
        let common = ["cluster", "--k", "3", "--min-df", "1", "--format", "jsonl", "--quiet"]
        let fromJSONL = try SeeAlsoExecutable.output(common + ["--input", jsonl])
        let fromCSV = try SeeAlsoExecutable.output(common + ["--input", csv, "--columns", "id=Key,title=Headline,body=Text"])
        #expect(fromCSV == fromJSONL)
        let unmapped = try SeeAlsoExecutable.run(common + ["--input", csv])
        #expect(unmapped.exited && unmapped.status != 0, "\(unmapped.error)")

        let index = scratch.path("index")
        _ = try SeeAlsoExecutable.output(["build", "--input", jsonl, "--index", index, "--min-df", "1", "--quiet"])
        let refused = try SeeAlsoExecutable.run(["cluster", "--index", index, "--columns", "id=Key", "--quiet"])
        #expect(refused.exited && refused.status != 0 && refused.error.contains("--columns"), "\(refused.error)")
    }

    /// Clusters kept through writes: after `add`, earlier articles keep their ids and new ones join
    /// existing topics (numbered by size at the last `cluster`).
    @Test func writesKeepTheNumbering() throws {
        let scratch = try TemporaryDirectory("cluster-writes")
        defer { scratch.remove() }
        let (index, articles) = try Self.build(scratch)
        var options = ClusterOptions()
        options.topics.clusterCount = 4
        options.reportAssignments = true
        let before = try SeeAlsoEngine(path: index).cluster(options: options).assignments
        let late = Self.world.articles(count: 10, seed: 6, idPrefix: "late")
        let added = try writeJSONL(late, to: scratch.path("late.jsonl"))
        _ = try SeeAlsoEngine.write(ArchiveChanges(add: ArchiveInput(added), delete: [articles[0].id]), to: index)
        let engine = try SeeAlsoEngine(path: index)
        for line in before.dropFirst() { #expect(engine.clusters(ofArticleWithID: line.id).topic == line.topic) }
        #expect(engine.clusters(ofArticleWithID: articles[0].id).topic == nil)
        for article in late { #expect((0..<4).contains(engine.clusters(ofArticleWithID: article.id).topic ?? -1)) }
    }
}
