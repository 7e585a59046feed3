import Foundation
import Testing
import SeeAlso
import SeeAlsoTestSupport

/// One writer at a time, nothing lost; readers never fail while writers publish.
@Suite(.serialized) struct WriterConcurrencyTests {
    /// A built index of 300 articles and 400 more, unindexed, for the writers.
    static func fixture(_ scratch: TemporaryDirectory) throws -> (index: String, indexed: [Article], spare: [Article]) {
        let world = NewsWorld(seed: 51)
        let indexed = world.articles(count: 300, seed: 1)
        let spare = world.articles(count: 400, seed: 2, idPrefix: "s", firstNumber: 5_000)
        let index = scratch.path("index")
        _ = try SeeAlsoEngine.build(ArchiveInput(try writeJSONL(indexed, to: scratch.path("indexed.jsonl"))), into: index,
                                    options: EngineFixtures.options(k: 8))
        return (index, indexed, spare)
    }

    @Test func writersStartedTogetherAllSucceedAndNothingIsLost() throws {
        let scratch = try TemporaryDirectory("writers")
        defer { scratch.remove() }
        let (index, indexed, spare) = try Self.fixture(scratch)
        var commands: [[String]] = []
        for batch in 0..<3 {
            let path = try writeJSONL(Array(spare[batch * 40..<(batch + 1) * 40]), to: scratch.path("add-\(batch).jsonl"))
            commands.append(["add", "--index", index, "--input", path, "--wait", "300", "--quiet"])
        }
        var updated = Array(indexed[0..<30])
        for position in updated.indices { updated[position].title = "Corrected \(position)" }
        commands.append(["update", "--index", index, "--input", try writeJSONL(updated, to: scratch.path("update.jsonl")), "--wait", "300", "--quiet"])
        let deleted = indexed[100..<130].map(\.id)
        commands.append(["delete", "--index", index, "--id", deleted.joined(separator: ","), "--wait", "300", "--quiet"])
        commands.append(["cluster", "--index", index, "--k", "4", "--wait", "300", "--quiet"])

        let runs = Locked([Int: SeeAlsoExecutable.Run]())
        let started = commands
        DispatchQueue.concurrentPerform(iterations: commands.count) { position in
            let run = try? SeeAlsoExecutable.run(started[position])
            runs.withLock { $0[position] = run }
        }
        for (position, command) in commands.enumerated() {
            let run = try #require(runs.value[position], "\(command[0]) did not run")
            #expect(run.exited && run.status == 0, "\(command[0]): \(run.error)")
        }
        let engine = try SeeAlsoEngine(path: index)
        #expect(engine.articleCount == 300 + 120 - 30)
        for article in spare.prefix(120) { #expect(engine.article(withID: article.id) != nil, "added \(article.id) lost") }
        for article in updated { #expect(engine.article(withID: article.id)?.title == article.title, "update of \(article.id) lost") }
        for id in deleted { #expect(engine.article(withID: id) == nil, "deletion of \(id) lost") }
        // The clusters were kept by every later writer (or made after all of them): every live article has a topic.
        let clusters = try #require(engine.clusters?.topics, "the cluster command's topics were lost")
        #expect(clusters.clusters.reduce(0) { $0 + $1.size } == engine.articleCount)
        // Six writes, six generations after the build, each with its change record.
        let changes = try SeeAlsoEngine.changes(in: index, since: 1)
        #expect(changes.generation == 7 && changes.complete)
        #expect(Set(changes.added) == Set(spare.prefix(120).map(\.id)) && Set(changes.deleted) == Set(deleted))
    }

    @Test func aWriterThatCannotGetTheLockFailsClearlyAndWritesNothing() throws {
        let scratch = try TemporaryDirectory("busy")
        defer { scratch.remove() }
        let (index, _, spare) = try Self.fixture(scratch)
        let input = try writeJSONL(Array(spare.prefix(5)), to: scratch.path("new.jsonl"))
        let live = try SeeAlsoEngine(path: index).generationPath
        try IndexDirectory(path: index).withWriter(waitSeconds: 0, purpose: .change) { _ in
            let clock = Date()
            let run = try SeeAlsoExecutable.run(["add", "--index", index, "--input", input, "--wait", "0.5", "--quiet"])
            #expect(run.exited && run.status != 0)
            #expect(run.error.contains("writer lock") && run.error.contains("--wait"), "\(run.error)")
            #expect(Date().timeIntervalSince(clock) >= 0.5)
        }
        #expect(try SeeAlsoEngine(path: index).generationPath == live)
        let refused = try SeeAlsoExecutable.run(["delete", "--index", index, "--id", "x", "--wait", "-1"])
        #expect(refused.status != 0 && refused.error.contains("--wait"))
    }

    @Test func readersNeverFailWhileWritersPublish() throws {
        let scratch = try TemporaryDirectory("readers")
        defer { scratch.remove() }
        let (index, indexed, spare) = try Self.fixture(scratch)
        let stable = indexed[5].id
        let stop = Locked(false)
        let failures = Locked([String]())
        let reads = Locked(0)
        let group = DispatchGroup()
        for reader in 0..<2 {
            DispatchQueue.global().async(group: group) {
                while !stop.value {
                    do {
                        let engine = try SeeAlsoEngine(path: index)
                        let list = try engine.related(toArticleWithID: stable)
                        if list.related.isEmpty { failures.withLock { $0.append("reader \(reader): empty list") } }
                        reads.withLock { $0 += 1 }
                    } catch {
                        failures.withLock { $0.append("reader \(reader): \(error)") }
                    }
                }
            }
        }
        for round in 0..<12 {
            let batch = Array(spare[round * 10..<(round + 1) * 10])
            _ = try SeeAlsoEngine.add(ArchiveInput(try writeJSONL(batch, to: scratch.path("round-\(round).jsonl"))), to: index)
            _ = try SeeAlsoEngine.delete(ids: [batch[0].id], from: index)
        }
        stop.withLock { $0 = true }
        group.wait()
        #expect(failures.value.isEmpty, "\(failures.value.count) failed reads: \(failures.value.prefix(3))")
        #expect(reads.value > 24, "only \(reads.value) reads ran during 24 writes")
    }
}
