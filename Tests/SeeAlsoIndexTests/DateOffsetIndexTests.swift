import Foundation
import Testing
import SeeAlsoCorpus
import SeeAlsoIndex
import SeeAlsoSupport
import SeeAlsoTestSupport

/// Dates keep their UTC offset through an index (`articles.sal` section `dateOffset`); an index written
/// before that section reads its dates at offset 0.
@Suite struct DateOffsetIndexTests {
    static func articles() throws -> [Article] {
        let world = NewsWorld(seed: 21).articles(count: 40, seed: 3)
        let dates = ["2017-02-08T23:30:00-05:00", "2017-02-09T05:30:00+05:30", "2017-02-09T04:30:00Z", "2017-02-08", "Tue, 08 Feb 2017 23:30:00 PST"]
        return try world.enumerated().map { row, article in
            var article = article
            article.date = row % 6 == 5 ? nil : try ArticleDate(parsing: dates[row % 6])
            return article
        }
    }

    @Test func offsetsRoundTripAndOldIndexesReadAsUTC() throws {
        try withTemporaryDirectory { dir in
            let articles = try Self.articles()
            let indexPath = dir.path("idx")
            try IndexFixtures.build(articles, in: dir, indexPath: indexPath, k: 4)
            let index = try Index(path: indexPath)
            for (row, article) in articles.enumerated() {
                #expect(index.date(row) == article.date, "row \(row)")
                #expect(index.date(row)?.description == article.date?.description)
            }
            #expect(index.date(0)?.description == "2017-02-08T23:30:00-05:00")
            #expect(index.date(4)?.description == "2017-02-08T23:30:00-08:00")

            // The same index without the section, as an older seealso wrote it: same instants, shown in UTC.
            let old = dir.path("old")
            try FileManager.default.copyItem(atPath: indexPath, toPath: old)
            let generation = try #require(try IndexDirectory(path: old).liveGeneration())
            let file = generation + "/articles.sal"
            var data = try Data(contentsOf: URL(fileURLWithPath: file))
            let name = try #require(data.range(of: Data("dateOffset".utf8)))
            data.replaceSubrange(name, with: Data("unusedXYZ0".utf8))
            try data.write(to: URL(fileURLWithPath: file))
            let manifestPath = generation + "/manifest.json"
            var manifest = try JSONDecoder().decode(IndexManifest.self, from: Data(contentsOf: URL(fileURLWithPath: manifestPath)))
            manifest.files["articles.sal"] = .init(bytes: data.count, crc32: data.withUnsafeBytes { CRC32.checksum($0) })
            try IndexCorruptionTests.writeManifest(JSONEncoder().encode(manifest), in: generation)

            let older = try Index(path: old, verify: true)
            for (row, article) in articles.enumerated() {
                #expect(older.date(row)?.secondsSinceEpoch == article.date?.secondsSinceEpoch)
                #expect(older.date(row)?.utcOffsetSeconds ?? 0 == 0)
            }
            #expect(older.date(0)?.description == "2017-02-09T04:30:00Z")
        }
    }
}
