import Foundation
import Testing
@testable import SeeAlso
import SeeAlsoTestSupport

/// Wrong contents in the dense and clusters sections, with every checksum made to match (as for files
/// over 64 MiB, or a careful forgery): reported as a corrupt index naming the file, never a trap.
@Suite struct SectionContentTests {
    /// Changes element `element` of section `section` of `file` in `generation` to `value`.
    static func overwrite<Value: BitwiseCopyable>(_ file: String, _ section: String, element: Int, with value: Value,
                                                  in generation: String) throws {
        try rewrite(file, section, in: generation) { data, entry in
            #expect(integer(data, entry + 56, 8) > element, "\(file): \(section) is too short")
            let at = integer(data, entry + 48, 8) + element * MemoryLayout<Value>.stride
            withUnsafeBytes(of: value) { data.replaceSubrange(at..<at + $0.count, with: $0) }
        }
    }

    /// Records one element less for section `section` of `file` in `generation` (in its table entry).
    static func shorten(_ file: String, _ section: String, in generation: String) throws {
        try rewrite(file, section, in: generation) { data, entry in
            withUnsafeBytes(of: UInt64(integer(data, entry + 56, 8) - 1).littleEndian) { data.replaceSubrange(entry + 56..<entry + 64, with: $0) }
        }
    }

    /// The little-endian unsigned integer of `size` bytes at `offset`.
    static func integer(_ data: Data, _ offset: Int, _ size: Int) -> Int {
        (0..<size).reduce(0) { $0 | Int(data[offset + $1]) << (8 * $1) }
    }

    /// Applies `change` to `file` in `generation`, given the offset of `section`'s table entry (see
    /// `SectionFile`), and makes the manifest's size and CRC-32 and manifest.crc32 match.
    static func rewrite(_ file: String, _ section: String, in generation: String, _ change: (inout Data, Int) throws -> Void) throws {
        let path = generation + "/" + file
        var data = try Data(contentsOf: URL(fileURLWithPath: path))
        let tableOffset = integer(data, 24, 8)
        let entry = try #require((0..<integer(data, 20, 4)).map { tableOffset + $0 * 64 }.first { entry in
            String(decoding: data[entry..<entry + 40].prefix { $0 != 0 }, as: UTF8.self) == section
        }, "\(file) has no section \(section)")
        try change(&data, entry)
        try data.write(to: URL(fileURLWithPath: path))
        var manifest = try JSONDecoder().decode(IndexManifest.self, from: Data(contentsOf: URL(fileURLWithPath: generation + "/manifest.json")))
        manifest.files[file] = .init(bytes: data.count, crc32: data.withUnsafeBytes { CRC32.checksum($0) })
        let encoded = try JSONEncoder().encode(manifest)
        try encoded.write(to: URL(fileURLWithPath: generation + "/manifest.json"))
        try Data(IndexManifest.checksumText(of: encoded).utf8).write(to: URL(fileURLWithPath: generation + "/" + IndexManifest.checksumFile))
    }

    /// Runs `body` and expects a corrupt-index error whose path ends with `file`.
    static func expectCorrupt(_ file: String, _ body: () throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            try body()
            Issue.record("no error: \(file) was trusted", sourceLocation: sourceLocation)
        } catch IndexError.corrupt(let path, _) {
            #expect(path.hasSuffix("/" + file), "\(path)", sourceLocation: sourceLocation)
        } catch {
            Issue.record("not a corrupt index: \(error)", sourceLocation: sourceLocation)
        }
    }

    /// A partition number past the centroids is refused on open; a non-finite centroid or vector
    /// coordinate is refused where the dense section is used (`add` restores the similarity index).
    @Test(arguments: [("dense.sal", "partitionOfRow"), ("dense.tail.sal", "partitionOfRow")])
    func aPartitionPastTheCentroidsIsRefusedOnOpen(_ file: String, _ section: String) throws {
        try withTemporaryDirectory("dense-partition") { scratch in
            let (index, generation, _) = try EngineFixtures.clusteredPartitionedIndex(in: scratch)
            try Self.overwrite(file, section, element: 1, with: Int32(1_000_000), in: generation)
            Self.expectCorrupt(file) { _ = try SeeAlsoEngine(path: index) }
        }
    }

    @Test(arguments: [("dense.sal", "centroids"), ("dense.sal", "projection"), ("dense.sal", "vectors"), ("dense.tail.sal", "vectors")])
    func aNonFiniteDenseValueIsRefusedWhereItIsUsed(_ file: String, _ section: String) throws {
        try withTemporaryDirectory("dense-finite") { scratch in
            let (index, generation, _) = try EngineFixtures.clusteredPartitionedIndex(in: scratch)
            try Self.overwrite(file, section, element: 2, with: Float.nan, in: generation)
            let more = try writeJSONL(NewsWorld(seed: 95, topicCount: 4, storiesPerTopic: 3).articles(count: 3, seed: 3, idPrefix: "m"),
                                      to: scratch.path("more.jsonl"))
            Self.expectCorrupt(file) { _ = try SeeAlsoEngine.write(ArchiveChanges(add: ArchiveInput(more)), to: index) }
        }
    }

    /// A topic or story number below −1 or at the largest Int32 (a later `add` numbers new stories from
    /// the largest one plus one) is refused on open.
    @Test(arguments: [("topics", Int32(-7)), ("stories", Int32.max), ("stories", Int32.min)])
    func aClusterNumberOutOfRangeIsRefusedOnOpen(_ section: String, _ value: Int32) throws {
        try withTemporaryDirectory("cluster-range") { scratch in
            let (index, generation, _) = try EngineFixtures.clusteredPartitionedIndex(in: scratch)
            try Self.overwrite("clusters.sal", section, element: 3, with: value, in: generation)
            Self.expectCorrupt("clusters.sal") { _ = try SeeAlsoEngine(path: index) }
        }
    }

    /// Assignments for fewer articles than the index holds are refused on open.
    @Test(arguments: ["topics", "stories"])
    func clusterAssignmentsForTooFewArticlesAreRefusedOnOpen(_ section: String) throws {
        try withTemporaryDirectory("cluster-count") { scratch in
            let (index, generation, _) = try EngineFixtures.clusteredPartitionedIndex(in: scratch)
            try Self.shorten("clusters.sal", section, in: generation)
            Self.expectCorrupt("clusters.sal") { _ = try SeeAlsoEngine(path: index) }
        }
    }
}
