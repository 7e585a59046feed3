import Foundation
import SeeAlsoCorpus
import SeeAlsoSynth
import SeeAlsoTestSupport
import Testing

/// The whole archive in memory.
private func generateBytes(_ configuration: SynthConfiguration, workers: Int = 2) throws -> (bytes: [UInt8], summary: SynthSummary) {
    var bytes: [UInt8] = []
    let summary = try SyntheticArchive.generate(configuration, workers: workers) { bytes += $0 }
    return (bytes, summary)
}

private func words(_ text: String) -> Set<Substring> {
    Set(text.split(whereSeparator: { !$0.isLetter && !$0.isNumber }))
}

@Suite struct SynthTests {
    @Test func sameSeedGivesIdenticalBytesWhateverTheThreadCount() throws {
        let configuration = SynthConfiguration(articles: 600, seed: 7)
        let first = try generateBytes(configuration, workers: 1)
        let second = try generateBytes(configuration, workers: 2)
        let third = try generateBytes(configuration, workers: 3)
        #expect(first.bytes == second.bytes)
        #expect(first.bytes == third.bytes)
        #expect(first.summary.bytes == first.bytes.count)
        #expect(first.summary.articles == 600)
    }

    @Test func differentSeedGivesDifferentArchive() throws {
        let first = try generateBytes(SynthConfiguration(articles: 300, seed: 1))
        let second = try generateBytes(SynthConfiguration(articles: 300, seed: 2))
        #expect(first.bytes != second.bytes)
    }

    @Test(arguments: [1, 2, 3, 17, 1_000])
    func articleCountIsExact(articles: Int) throws {
        let plan = try SyntheticArchive.plan(SynthConfiguration(articles: articles, seed: 3))
        #expect(plan.count == articles)
    }

    @Test func everyRecordIsReadableWithGoldFieldsAndUniqueIDs() throws {
        var configuration = SynthConfiguration(articles: 1_200, seed: 11)
        configuration.topics = 30
        try withTemporaryDirectory { directory in
            let path = directory.path("archive.jsonl")
            let summary = try SyntheticArchive.write(configuration, to: path)
            // readAll throws on any invalid record or duplicate id.
            let articles = try readArticles(path)
            #expect(articles.count == 1_200)
            #expect(summary.articles == 1_200)
            #expect(Set(articles.map(\.id)).count == articles.count)
            #expect(Set(articles.compactMap(\.url)).count == articles.count)
            #expect(Set(articles.compactMap(\.label)).count <= 30)
            #expect(Set(articles.compactMap(\.event)).count == summary.stories)
            let fileSize = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int
            #expect(fileSize == summary.bytes)
            for article in articles {
                #expect(article.label?.isEmpty == false)
                #expect(article.event?.isEmpty == false)
                #expect(article.language == "en")
                #expect(article.date?.hasTime == true)
                let titleWords = article.title.split(separator: " ").count
                #expect((5...16).contains(titleWords), "title: \(article.title)")
                let bodyWords = article.body.split(whereSeparator: \.isWhitespace).count
                #expect((80...800).contains(bodyWords))
                #expect(article.body.hasSuffix(".") || article.body.hasSuffix("?"))
            }
            // Only the committed file is left: no temporary beside it.
            #expect(directory.entries() == ["archive.jsonl"])
        }
    }

    @Test func datesAreInOrderAndWithinTheYears() throws {
        var configuration = SynthConfiguration(articles: 3_000, seed: 5)
        configuration.startYear = 2001
        configuration.years = 3
        let plan = try SyntheticArchive.plan(configuration)
        let first = ArticleDate(iso: "2001-01-01")!.secondsSinceEpoch
        let end = ArticleDate(iso: "2004-01-01")!.secondsSinceEpoch
        #expect(plan.allSatisfy { $0.secondsSinceEpoch >= first && $0.secondsSinceEpoch < end })
        #expect(zip(plan, plan.dropFirst()).allSatisfy { $0.secondsSinceEpoch <= $1.secondsSinceEpoch })
        // Spread over the whole period, not bunched at one end.
        let days = Set(plan.map { $0.secondsSinceEpoch / (86_400 * 30) })
        #expect(days.count >= 30)

        // The written dates are the planned ones.
        var small = configuration
        small.articles = 400
        try withTemporaryDirectory { directory in
            let path = directory.path("dated.jsonl")
            _ = try SyntheticArchive.write(small, to: path)
            let written = try readArticles(path).map { $0.date!.secondsSinceEpoch }
            let planned = try SyntheticArchive.plan(small).map(\.secondsSinceEpoch)
            #expect(written == planned)
        }
    }

    @Test func gzipAndPlainOutputsHoldTheSameArticles() throws {
        let configuration = SynthConfiguration(articles: 800, seed: 21)
        try withTemporaryDirectory { directory in
            let plain = directory.path("archive.jsonl")
            let gzip = directory.path("archive.jsonl.gz")
            let plainSummary = try SyntheticArchive.write(configuration, to: plain)
            let gzipSummary = try SyntheticArchive.write(configuration, to: gzip)
            let magic = try #require(FileHandle(forReadingAtPath: gzip)).readData(ofLength: 2)
            #expect(Array(magic) == [0x1F, 0x8B])
            #expect(gzipSummary.storedBytes < gzipSummary.bytes / 2)
            #expect(gzipSummary.bytes == plainSummary.bytes)
            #expect(try readArticles(gzip) == readArticles(plain))
        }
    }

    @Test func copiesShareTheEventAndAreNearDuplicates() throws {
        var configuration = SynthConfiguration(articles: 1_500, seed: 9)
        configuration.duplicateRate = 0.08
        try withTemporaryDirectory { directory in
            let path = directory.path("copies.jsonl")
            let summary = try SyntheticArchive.write(configuration, to: path)
            let articles = try readArticles(path)
            let plan = try SyntheticArchive.plan(configuration)
            let copies = plan.indices.filter { plan[$0].isCopy }
            #expect(copies.count == summary.duplicates)
            #expect(copies.count > 60 && copies.count < 180)
            for index in copies {
                let copy = articles[index]
                let copyWords = words(copy.body)
                // Its original came earlier, in the same event, and shares nearly all its words.
                let best = articles[..<index].filter { $0.event == copy.event }.map { original -> Double in
                    let originalWords = words(original.body)
                    return Double(copyWords.intersection(originalWords).count) / Double(copyWords.union(originalWords).count)
                }.max() ?? 0
                #expect(best >= 0.75, "copy \(copy.id) has no near-duplicate original (best Jaccard \(best))")
            }
        }
    }

    @Test func storySizesAreHeavyTailed() throws {
        let plan = try SyntheticArchive.plan(SynthConfiguration(articles: 20_000, seed: 1))
        var sizes: [Int: Int] = [:]
        for article in plan { sizes[article.event, default: 0] += 1 }
        let counts = Array(sizes.values)
        #expect(counts.max()! >= 20)
        #expect(counts.filter { $0 >= 20 }.count >= 10)
        let small = counts.filter { (2...5).contains($0) }.count
        let larger = counts.filter { $0 > 5 }.count
        #expect(small > 2 * larger)
        // Singletons: a real share of articles, but not most of them.
        let singletonShare = Double(counts.filter { $0 == 1 }.count) / Double(plan.count)
        #expect(singletonShare > 0.05 && singletonShare < 0.25)
        // Every story has a single topic.
        var topics: [Int: Int] = [:]
        for article in plan {
            if let known = topics[article.event] { #expect(known == article.topic) } else { topics[article.event] = article.topic }
        }
    }

    @Test func invalidSettingsAreRejected() {
        #expect(throws: SynthError.self) { try SynthConfiguration(articles: 0, seed: 1).validate() }
        var configuration = SynthConfiguration(articles: 10, seed: 1)
        configuration.duplicateRate = 0.9
        #expect(throws: SynthError.self) { try configuration.validate() }
        configuration = SynthConfiguration(articles: 10, seed: 1)
        configuration.topics = 0
        #expect(throws: SynthError.self) { try configuration.validate() }
    }
}
