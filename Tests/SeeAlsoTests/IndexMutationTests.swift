import Foundation
import Testing
@testable import SeeAlso
import SeeAlsoTestSupport

/// A seeded mutation test of index bytes: random bytes of random files of a partitioned index with
/// topics and stories, a tail, a deleted row and texts are changed, with the manifest's sizes and
/// checksums made to match (the default path for files over 64 MiB), and the index is opened and
/// queried. Each try must work or report a corrupt index; a trap would end the test run.
@Suite struct IndexMutationTests {
    @Test func mutatedIndexBytesNeverCrash() throws {
        let scratch = try TemporaryDirectory("index-mutation")
        defer { scratch.remove() }
        let (index, generation, articles) = try EngineFixtures.clusteredPartitionedIndex(in: scratch)
        let manifestData = try Data(contentsOf: URL(fileURLWithPath: generation + "/manifest.json"))
        let files = try JSONDecoder().decode(IndexManifest.self, from: manifestData).files.keys.sorted().filter { $0.hasSuffix(".sal") }
        let originals = try Dictionary(uniqueKeysWithValues: files.map { ($0, try Data(contentsOf: URL(fileURLWithPath: generation + "/" + $0))) })
        var random = SplitMix64(seed: 2026)
        var opened = 0, refused = 0
        let clock = Date()
        while Date().timeIntervalSince(clock) < 30 {
            let file = files[random.nextIndex(below: files.count)]
            var data = originals[file]!
            for _ in 0..<1 + random.nextIndex(below: 4) {
                let position = random.nextIndex(below: data.count)
                data[position] = random.chance(0.5) ? data[position] ^ UInt8(1 << random.nextIndex(below: 8)) : UInt8(random.nextIndex(below: 256))
            }
            try data.write(to: URL(fileURLWithPath: generation + "/" + file))
            var manifest = try JSONDecoder().decode(IndexManifest.self, from: manifestData)
            manifest.files[file] = .init(bytes: data.count, crc32: data.withUnsafeBytes { CRC32.checksum($0) })
            let encoded = try JSONEncoder().encode(manifest)
            try encoded.write(to: URL(fileURLWithPath: generation + "/manifest.json"))
            try Data(IndexManifest.checksumText(of: encoded).utf8).write(to: URL(fileURLWithPath: generation + "/" + IndexManifest.checksumFile))
            do {
                let engine = try SeeAlsoEngine(path: index)
                for id in [articles[0].id, articles[4].id, articles[7].id, "n0"] { _ = try? engine.related(toArticleWithID: id) }
                _ = try engine.related(to: articles[9])
                var lists = 0
                try engine.forEachStoredList { _ in lists += 1 }
                _ = try? engine.index.similarityIndex().lists(ofIndexedRows: [1, 2], k: 3)
                _ = try? engine.index.liveArticles()
                opened += 1
            } catch is IndexError {
                refused += 1
            }
            try originals[file]!.write(to: URL(fileURLWithPath: generation + "/" + file))
        }
        #expect(opened + refused > 100 && refused > 0, "\(opened) opened, \(refused) refused")
    }
}
