import Foundation
import Testing
import SeeAlsoCorpus
import SeeAlsoIndex
import SeeAlsoTestSupport
import SeeAlsoSimilarity
import SeeAlsoSupport
import SeeAlsoVectorize
import SeeAlsoText

@Suite struct IndexRoundTripTests {
    /// Generated articles plus a few edge cases (a pre-1970 date-time, odd titles, ids in byte order traps).
    static func corpus(count: Int, seed: UInt64) -> [Article] {
        let world = NewsWorld(seed: seed)
        var articles = world.articles(count: count, seed: seed &+ 100)
        let words = world.stories[0][0]
        let body = (0..<30).map { words[$0 % words.count] }.joined(separator: " ")
        articles.append(Article(id: "Z-upper", title: "Quotes \"inside\" and a\nnewline — ünïcödé 🗞", body: body,
                                date: ArticleDate(secondsSinceEpoch: -1, hasTime: true), url: "", label: "", event: "",
                                language: "en"))
        articles.append(Article(id: "a", title: "", body: body + " " + words[1],
                                date: ArticleDate(secondsSinceEpoch: -86_400 * 400, hasTime: false)))
        articles.append(Article(id: "~last", title: words.joined(separator: " "), body: body, date: nil, url: "u", label: "x", event: "y", language: "it"))
        return articles
    }

    @Test func buildWriteOpenReturnsWhatWasBuilt() throws {
        let scratch = try TemporaryDirectory("roundtrip")
        defer { scratch.remove() }
        let articles = Self.corpus(count: 400, seed: 1)
        let indexPath = scratch.path("idx")
        let contents = try IndexFixtures.build(articles, in: scratch, indexPath: indexPath, k: 8)
        let index = try Index(path: indexPath)

        #expect(index.articleCount == articles.count)
        #expect(contents.articles.count == articles.count)
        #expect(index.k == 8)
        #expect(index.manifest.articleCount == articles.count)
        #expect(index.manifest.method == "exact")
        // The configuration as given, plus the stop-word lists it resolved to (every shipped language for per-article stop words).
        var configuration = index.manifest.configuration
        #expect(configuration.analyzer.stopWordLists?.keys.sorted() == Language.allCases.map(\.rawValue).sorted())
        #expect(configuration.analyzer.stopWordLists?["en"]?.count == 318)
        configuration.analyzer.stopWordLists = nil
        #expect(configuration == TfidfConfiguration.news)
        #expect(index.manifest.modelDocumentCount == articles.count)
        #expect(index.generationPath.hasSuffix("/generation-000001"))

        // Metadata, in input order.
        for (row, article) in articles.enumerated() {
            let expected = IndexFixtures.expectedMetadata(ArticleMetadata(article))
            #expect(contents.articles[row].id == article.id)
            #expect(index.metadata(row) == expected, "row \(row)")
            #expect(index.id(row) == article.id)
            #expect(index.title(row) == article.title)
            #expect(index.date(row) == article.date)
            #expect(index.date(row)?.hasTime == article.date?.hasTime)
        }
        #expect(articles.contains { $0.date?.hasTime == true } && articles.contains { $0.date?.hasTime == false }
                && articles.contains { $0.date == nil } && articles.contains { $0.title.isEmpty })
        #expect(index.allMetadata() == contents.articles.map(IndexFixtures.expectedMetadata))

        // Vocabulary and idf.
        #expect(index.vocabularySize == contents.model.vocabulary.count)
        for (column, term) in contents.model.vocabulary.enumerated() {
            #expect(index.term(column) == term)
            #expect(index.idf(column).bitPattern == contents.model.idf[column].bitPattern)
            var bytes = term
            #expect(bytes.withUTF8 { index.column(ofTerm: $0) } == column, "term \(term)")
        }
        for unknown in ["", "zzzzzzzz", "qqq", contents.model.vocabulary[0] + "x", String(contents.model.vocabulary[0].dropLast())] {
            var bytes = unknown
            if !contents.model.vocabulary.contains(unknown) {
                #expect(bytes.withUTF8 { index.column(ofTerm: $0) } == nil, "unknown term \(unknown)")
            }
        }
        let model = index.model()
        #expect(model.vocabulary == contents.model.vocabulary)
        #expect(model.idf.map(\.bitPattern) == contents.model.idf.map(\.bitPattern))
        #expect(model.documentCount == contents.model.documentCount)
        #expect(model.configuration == contents.model.configuration)

        // Matrix rows and stored lists.
        #expect(index.matrix() == contents.matrix)
        for row in 0..<articles.count {
            let range = contents.matrix.rowStarts[row]..<contents.matrix.rowStarts[row + 1]
            let vector = index.vector(row)
            #expect(vector.columns == Array(contents.matrix.columns[range]))
            #expect(vector.values.map(\.bitPattern) == contents.matrix.values[range].map(\.bitPattern))
            let stored = index.storedList(row)
            let built = contents.lists.neighbors(of: row)
            #expect(stored.map(\.row) == built.map(\.id))
            #expect(stored.map(\.score.bitPattern) == built.map(\.score.bitPattern))
        }
        #expect(index.lists() == contents.lists)

        // Ids.
        for (row, article) in articles.enumerated() { #expect(index.row(ofId: article.id) == row, "id \(article.id)") }
        let ids = Set(articles.map(\.id))
        for unknown in ["", "b", "A0", "a0x", "é", "éa", "zzz", "~", "~last~", "\u{10FFFF}", " a0", "a00"] where !ids.contains(unknown) {
            #expect(index.row(ofId: unknown) == nil, "unknown id \(unknown)")
        }
    }

    @Test func storedListsEqualBruteForceOnTheIndexMatrix() throws {
        let scratch = try TemporaryDirectory("bruteforce")
        defer { scratch.remove() }
        for (seed, k) in [(UInt64(2), 5), (3, 12)] {
            let articles = Self.corpus(count: 300, seed: seed)
            let indexPath = scratch.path("idx-\(seed)")
            try IndexFixtures.build(articles, in: scratch, indexPath: indexPath, k: k)
            let index = try Index(path: indexPath)
            let truth = BruteForce.scores(index.matrix())
            let problems = BruteForce.problems(index.lists(), truth: truth, k: k)
            #expect(problems.isEmpty, "seed \(seed): \(problems.prefix(5).joined(separator: "\n"))")
            // Stored scores are the canonical ones: the Double dot product rounded once.
            for row in 0..<index.articleCount {
                for item in index.storedList(row) { #expect(item.score == Float(truth[row][item.row])) }
            }
        }
    }
}

@Suite struct IndexCorruptionTests {
    static let files = ["model.sal", "articles.sal", "matrix.sal", "postings.sal", "neighbors.sal"]

    /// Builds one small index and returns (scratch, index path).
    static func makeIndex(_ label: String) throws -> (TemporaryDirectory, String) {
        let scratch = try TemporaryDirectory(label)
        let articles = NewsWorld(seed: 7).articles(count: 150, seed: 8)
        let indexPath = scratch.path("idx")
        try IndexFixtures.build(articles, in: scratch, indexPath: indexPath, k: 6)
        return (scratch, indexPath)
    }

    /// A copy of the index directory, to damage.
    static func copy(_ indexPath: String, in scratch: TemporaryDirectory, _ name: String) throws -> (copy: String, generation: String) {
        let target = scratch.path(name)
        try FileManager.default.copyItem(atPath: indexPath, toPath: target)
        let generation = try #require(try IndexDirectory(path: target).liveGeneration())
        return (target, generation)
    }

    static func expectCorrupt(_ path: String, verify: Bool, naming file: String, sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            _ = try Index(path: path, verify: verify)
            Issue.record("opened a damaged index (\(file), verify \(verify))", sourceLocation: sourceLocation)
        } catch IndexError.corrupt(let errorPath, let reason) {
            #expect(errorPath.hasSuffix("/" + file), "error names \(errorPath): \(reason)", sourceLocation: sourceLocation)
        } catch {
            Issue.record("expected IndexError.corrupt naming \(file), got \(error)", sourceLocation: sourceLocation)
        }
    }

    @Test func aFlippedByteInAnyFileIsDetected() throws {
        let (scratch, indexPath) = try Self.makeIndex("flip")
        defer { scratch.remove() }
        _ = try Index(path: indexPath, verify: true)
        for file in Self.files {
            for verify in [false, true] {
                let (copy, generation) = try Self.copy(indexPath, in: scratch, "flip-\(file)-\(verify)")
                let path = generation + "/" + file
                var data = try Data(contentsOf: URL(fileURLWithPath: path))
                #expect(data.count <= Index.verifyLimitBytes)
                data[data.count / 2] ^= 0x5A
                try data.write(to: URL(fileURLWithPath: path))
                Self.expectCorrupt(copy, verify: verify, naming: file)
            }
        }
    }

    @Test func aTruncatedFileIsDetected() throws {
        let (scratch, indexPath) = try Self.makeIndex("truncate")
        defer { scratch.remove() }
        for file in Self.files {
            for keep in [0, 40, -1, -64] {
                let (copy, generation) = try Self.copy(indexPath, in: scratch, "truncate-\(file)\(keep)")
                let path = generation + "/" + file
                let data = try Data(contentsOf: URL(fileURLWithPath: path))
                let length = keep >= 0 ? keep : data.count + keep
                try data.prefix(length).write(to: URL(fileURLWithPath: path))
                Self.expectCorrupt(copy, verify: keep == -1, naming: file)
            }
        }
    }

    @Test func aMissingFileIsDetected() throws {
        let (scratch, indexPath) = try Self.makeIndex("missing")
        defer { scratch.remove() }
        for file in Self.files + ["manifest.json"] {
            let (copy, generation) = try Self.copy(indexPath, in: scratch, "missing-\(file)")
            try FileManager.default.removeItem(atPath: generation + "/" + file)
            Self.expectCorrupt(copy, verify: false, naming: file)
        }
    }

    @Test func brokenCurrentOrManifestGivesAClearError() throws {
        let (scratch, indexPath) = try Self.makeIndex("current")
        defer { scratch.remove() }

        // CURRENT naming a generation that does not exist.
        var (copy, _) = try Self.copy(indexPath, in: scratch, "nowhere")
        try Data("generation-000099\n".utf8).write(to: URL(fileURLWithPath: copy + "/CURRENT"))
        #expect { try Index(path: copy) } throws: { error in
            "\(error)".contains("generation-000099") && (error as? IndexError).map { if case .corrupt = $0 { true } else { false } } == true
        }

        // CURRENT that names no generation at all.
        (copy, _) = try Self.copy(indexPath, in: scratch, "garbage")
        try Data("../../etc\n".utf8).write(to: URL(fileURLWithPath: copy + "/CURRENT"))
        #expect { try Index(path: copy) } throws: { error in
            guard case IndexError.corrupt(let path, _)? = error as? IndexError else { return false }
            return path.hasSuffix("/CURRENT")
        }

        // No CURRENT: not an index.
        (copy, _) = try Self.copy(indexPath, in: scratch, "nocurrent")
        try FileManager.default.removeItem(atPath: copy + "/CURRENT")
        #expect { try Index(path: copy) } throws: { error in
            guard case IndexError.notAnIndex(let path, _)? = error as? IndexError else { return false }
            return path == copy
        }
        #expect(throws: IndexError.self) { try Index(path: scratch.path("does-not-exist")) }

        // Unreadable manifest.
        var generation: String
        (copy, generation) = try Self.copy(indexPath, in: scratch, "badjson")
        try Data("{ not json".utf8).write(to: URL(fileURLWithPath: generation + "/manifest.json"))
        Self.expectCorrupt(copy, verify: false, naming: "manifest.json")
    }

    @Test func aNewerFormatVersionIsRefused() throws {
        let (scratch, indexPath) = try Self.makeIndex("version")
        defer { scratch.remove() }
        let (copy, generation) = try Self.copy(indexPath, in: scratch, "newer")
        let manifestPath = generation + "/manifest.json"
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: manifestPath)))
        var object = try #require(json as? [String: Any])
        // An index without a tail segment or deleted rows is written as version 1, which releases before version 2 read.
        #expect(object["version"] as? Int == 1 && IndexManifest.currentVersion == 4)
        #expect(object["writtenBy"] as? String == "seealso " + SeeAlsoVersion.current)
        object["version"] = IndexManifest.currentVersion + 1
        object["writtenBy"] = "seealso 7.0.0"
        // A later release may also change what the rest of the manifest holds: the version is read first.
        object["configuration"] = "a shape this release does not know"
        try Self.writeManifest(JSONSerialization.data(withJSONObject: object), in: generation)
        #expect { try Index(path: copy) } throws: { error in
            guard case IndexError.newerFormat(_, let version, let writtenBy, let readable)? = error as? IndexError else { return false }
            return version == IndexManifest.currentVersion + 1 && writtenBy == "seealso 7.0.0" && readable == IndexManifest.currentVersion
                && "\(error)".contains("by seealso 7.0.0") && "\(error)".contains("upgrade seealso") && !"\(error)".contains("corrupt")
        }

        // Another format name is not an index.
        object["version"] = IndexManifest.currentVersion
        object["format"] = "something-else"
        try Self.writeManifest(JSONSerialization.data(withJSONObject: object), in: generation)
        #expect { try Index(path: copy) } throws: { error in
            if case IndexError.notAnIndex? = error as? IndexError { return true }
            return false
        }
    }
}

@Suite struct IndexAtomicityTests {
    struct Interrupted: Error {}

    @Test func aSecondGenerationReplacesTheFirst() throws {
        let scratch = try TemporaryDirectory("generations")
        defer { scratch.remove() }
        let world = NewsWorld(seed: 21)
        let indexPath = scratch.path("idx")
        try IndexFixtures.build(world.articles(count: 120, seed: 1), in: scratch, indexPath: indexPath, k: 4)
        #expect(scratch.entries("idx") == ["CURRENT", "LOCK", "changes", "generation-000001"])
        let second = try IndexFixtures.build(world.articles(count: 90, seed: 2), in: scratch, indexPath: indexPath, k: 5)
        // The generation replaced is kept until the next publish, for readers that were opening it.
        #expect(scratch.entries("idx") == ["CURRENT", "LOCK", "changes", "generation-000001", "generation-000002"])
        let current = try String(contentsOfFile: indexPath + "/CURRENT", encoding: .utf8)
        #expect(current.trimmingCharacters(in: .whitespacesAndNewlines) == "generation-000002")
        let index = try Index(path: indexPath, verify: true)
        #expect(index.articleCount == 90 && index.k == 5)
        #expect(index.lists() == second.lists)
        for (count, number) in [(60, 3), (70, 4)] {
            try IndexFixtures.build(world.articles(count: count, seed: UInt64(number)), in: scratch, indexPath: indexPath, k: 3)
        }
        #expect(scratch.entries("idx") == ["CURRENT", "LOCK", "changes", "generation-000003", "generation-000004"])
        // A reader that opened generation 2 keeps reading it after its folder is removed: its files are mapped.
        #expect(index.lists() == second.lists && index.title(89) == index.metadata(89).title)
    }

    @Test func aFailedPublishLeavesThePreviousIndexUnchanged() throws {
        let scratch = try TemporaryDirectory("failed-publish")
        defer { scratch.remove() }
        let indexPath = scratch.path("idx")
        let built = try IndexFixtures.build(NewsWorld(seed: 22).articles(count: 120, seed: 1), in: scratch, indexPath: indexPath, k: 4)
        let before = IndexFixtures.snapshot(indexPath)
        let directory = IndexDirectory(path: indexPath)
        var sawFolder: String?
        #expect(throws: Interrupted.self) {
            try directory.withWriter(waitSeconds: 0, purpose: .replace(force: false)) { session in
                try session.publish(record: nil) { folder in
                    sawFolder = folder
                    #expect(folder.hasSuffix(".partial"))
                    try Data("half an index".utf8).write(to: URL(fileURLWithPath: folder + "/model.sal"))
                    try Data("{}".utf8).write(to: URL(fileURLWithPath: folder + "/manifest.json"))
                    throw Interrupted()
                }
            }
        }
        #expect(sawFolder != nil)
        #expect(IndexFixtures.snapshot(indexPath) == before)
        #expect(!scratch.entries("idx").contains { $0.hasSuffix(".partial") })
        let index = try Index(path: indexPath, verify: true)
        #expect(index.lists() == built.lists)
        #expect(index.allMetadata() == built.articles.map(IndexFixtures.expectedMetadata))
    }

    @Test func aSecondWriterIsRefusedWhileOneHoldsTheLock() throws {
        let scratch = try TemporaryDirectory("lock")
        defer { scratch.remove() }
        let directory = IndexDirectory(path: scratch.path("idx"))
        var innerError: Error?
        _ = try directory.withWriter(waitSeconds: 0, purpose: .replace(force: false)) { session in
            try session.publish(record: nil) { folder in
                do { try directory.withWriter(waitSeconds: 0.1, purpose: .replace(force: false)) { _ in } } catch { innerError = error }
                try Data().write(to: URL(fileURLWithPath: folder + "/empty"))
            }
        }
        guard case IndexError.busy? = innerError as? IndexError else {
            Issue.record("expected IndexError.busy, got \(String(describing: innerError))")
            return
        }
    }

    @Test func leftoverPartialFoldersAreRemovedByTheNextWrite() throws {
        let scratch = try TemporaryDirectory("leftover")
        defer { scratch.remove() }
        let world = NewsWorld(seed: 23)
        let indexPath = scratch.path("idx")
        let first = try IndexFixtures.build(world.articles(count: 100, seed: 1), in: scratch, indexPath: indexPath, k: 4)
        // What a killed writer leaves behind.
        let leftover = indexPath + "/generation-000005.partial"
        try FileManager.default.createDirectory(atPath: leftover, withIntermediateDirectories: false)
        try Data(repeating: 7, count: 1000).write(to: URL(fileURLWithPath: leftover + "/matrix.sal"))
        let index = try Index(path: indexPath, verify: true)
        #expect(index.lists() == first.lists)
        try IndexFixtures.build(world.articles(count: 80, seed: 2), in: scratch, indexPath: indexPath, k: 4)
        let names = scratch.entries("idx")
        #expect(!names.contains { $0.hasSuffix(".partial") }, "\(names)")
        #expect(names.filter { $0.hasPrefix("generation-") } == ["generation-000001", "generation-000006"], "the live one and the one it replaced")
        #expect(try Index(path: indexPath).articleCount == 80)
    }
}

extension IndexCorruptionTests {
    /// A stored neighbour id past the articles, with the manifest's checksum made to match (as when the
    /// file is too large for the default check): refused on open, not read past on a query.
    @Test func aNeighbourIdOutOfRangeIsRefusedOnOpen() throws {
        let (scratch, indexPath) = try Self.makeIndex("neighbour-range")
        defer { scratch.remove() }
        let index = try Index(path: indexPath)
        let firstList = index.storedList(0).map { Int32($0.row) }
        let (copy, generation) = try Self.copy(indexPath, in: scratch, "bad-id")
        let path = generation + "/neighbors.sal"
        var data = try Data(contentsOf: URL(fileURLWithPath: path))
        let pattern = firstList.withUnsafeBytes { Data($0) }
        let at = try #require(data.range(of: pattern), "row 0's list not found in neighbors.sal")
        withUnsafeBytes(of: Int32(index.articleCount).littleEndian) { data.replaceSubrange(at.lowerBound..<at.lowerBound + 4, with: $0) }
        try data.write(to: URL(fileURLWithPath: path))
        // Re-record size and CRC-32 so that only the range check can catch it.
        let manifestPath = generation + "/manifest.json"
        var manifest = try JSONDecoder().decode(IndexManifest.self, from: Data(contentsOf: URL(fileURLWithPath: manifestPath)))
        manifest.files["neighbors.sal"] = .init(bytes: data.count, crc32: data.withUnsafeBytes { CRC32.checksum($0) })
        try Self.writeManifest(JSONEncoder().encode(manifest), in: generation)
        Self.expectCorrupt(copy, verify: false, naming: "neighbors.sal")
        Self.expectCorrupt(copy, verify: true, naming: "neighbors.sal")
    }

    /// Writes a manifest and its checksum, as a writer would: damage that passes the manifest's own check.
    static func writeManifest(_ data: Data, in generation: String) throws {
        try data.write(to: URL(fileURLWithPath: generation + "/manifest.json"))
        try Data(IndexManifest.checksumText(of: data).utf8).write(to: URL(fileURLWithPath: generation + "/" + IndexManifest.checksumFile))
    }

    /// A changed setting in the manifest (title weight 2 → 3 changes every text query) is caught by its
    /// checksum on a default open; a consistent manifest with an absurd k is refused, not trusted; an index
    /// written before manifests had checksums still opens.
    @Test func theManifestIsCheckedLikeEveryFile() throws {
        let (scratch, indexPath) = try Self.makeIndex("manifest-checksum")
        defer { scratch.remove() }
        let (flipped, generation) = try Self.copy(indexPath, in: scratch, "title-weight")
        let manifestPath = generation + "/manifest.json"
        let original = try String(contentsOfFile: manifestPath, encoding: .utf8)
        #expect(original.contains("\"titleWeight\" : 2"))
        try original.replacingOccurrences(of: "\"titleWeight\" : 2", with: "\"titleWeight\" : 3").write(toFile: manifestPath, atomically: false, encoding: .utf8)
        Self.expectCorrupt(flipped, verify: false, naming: "manifest.json")

        let (huge, hugeGeneration) = try Self.copy(indexPath, in: scratch, "huge-k")
        var manifest = try JSONDecoder().decode(IndexManifest.self, from: Data(contentsOf: URL(fileURLWithPath: hugeGeneration + "/manifest.json")))
        manifest.k = 1 << 62
        try Self.writeManifest(JSONEncoder().encode(manifest), in: hugeGeneration)
        Self.expectCorrupt(huge, verify: false, naming: "manifest.json")

        let (older, olderGeneration) = try Self.copy(indexPath, in: scratch, "older")
        try FileManager.default.removeItem(atPath: olderGeneration + "/" + IndexManifest.checksumFile)
        #expect(try Index(path: older, verify: true).lists() == Index(path: indexPath).lists())
    }

    /// Every byte of a section file's header and table, changed three ways with the manifest's size and
    /// checksum made to match (the default path for files over 64 MiB): opening and querying either works
    /// or reports a corrupt index; nothing traps (an Int conversion or overflow trap would end the test run).
    @Test func noHeaderOrTableByteCanCrashAnOpen() throws {
        let (scratch, indexPath) = try Self.makeIndex("table-bytes")
        defer { scratch.remove() }
        for file in Self.files {
        let (copy, generation) = try Self.copy(indexPath, in: scratch, "table-" + file)
        let path = generation + "/" + file
        let original = try Data(contentsOf: URL(fileURLWithPath: path))
        let manifestData = try Data(contentsOf: URL(fileURLWithPath: generation + "/manifest.json"))
        let sectionCount = Int(original[20]) | Int(original[21]) << 8
        var opened = 0, refused = 0
        for position in 0..<64 + sectionCount * 64 {
            for change: UInt8 in [0x01, 0x80, 0xFF] {
                var data = original
                data[position] ^= change
                try data.write(to: URL(fileURLWithPath: path))
                var manifest = try JSONDecoder().decode(IndexManifest.self, from: manifestData)
                manifest.files[file] = .init(bytes: data.count, crc32: data.withUnsafeBytes { CRC32.checksum($0) })
                try Self.writeManifest(JSONEncoder().encode(manifest), in: generation)
                do {
                    let index = try Index(path: copy)
                    _ = (index.lists(), index.matrix(), index.model(), index.allMetadata(), try index.similarityIndex())
                    _ = (index.row(ofId: "a7"), index.row(ofId: "zzz"), index.storedList(3), index.vector(5))
                    _ = RelatedSearch(index: index).related(toRow: 2, options: RelatedOptions())
                    opened += 1
                } catch IndexError.corrupt(let errorPath, _) {
                    #expect(errorPath.hasSuffix(file) || errorPath.hasSuffix(generation.split(separator: "/").last.map(String.init) ?? ""))
                    refused += 1
                } catch IndexError.newerFormat(let errorPath, _, _, _) where (16..<20).contains(position) {
                    // The header's format version raised: reported as a newer format, not as damage.
                    #expect(errorPath.hasSuffix(file))
                    refused += 1
                }
            }
        }
        #expect(refused > 0 && opened + refused == (64 + sectionCount * 64) * 3, "\(file)")
        }
    }
}

