import Foundation
import SeeAlsoSupport
import SeeAlsoSimilarity
import SeeAlsoVectorize

/// `manifest.json` of an index generation: what it holds, how it was built, and every file's
/// size and CRC-32, which `Index.open(verify:)` checks.
public struct IndexManifest: Codable, Sendable {
    public static let formatName = "seealso-index"
    /// Version 2 added the tail segment (`tailRows`, files `*.tail.sal`), version 3 deleted rows
    /// (`deletedRows`, `deleted.sal`), version 4 field weights (`configuration.fieldWeights`, which
    /// earlier releases would ignore and so vectorize queries differently). An index is written with
    /// the lowest version that describes it — version 1 without any of these — so earlier releases
    /// read every index they can answer correctly.
    public static let currentVersion = 4

    /// The lowest format version that holds everything this manifest describes.
    var lowestSufficientVersion: Int {
        if configuration.fieldWeights != nil { return 4 }
        return (tailRows ?? 0) == 0 && (deletedRows ?? 0) == 0 ? 1 : 3
    }

    public struct FileRecord: Codable, Sendable {
        public var bytes: Int
        public var crc32: UInt32

        package init(bytes: Int, crc32: UInt32) {
            self.bytes = bytes
            self.crc32 = crc32
        }
    }

    /// The manifest's own checksum: `manifest.crc32` beside it holds the CRC-32 of manifest.json's bytes
    /// as 8 hex digits (indexes written before it have none and are read without).
    package static let checksumFile = "manifest.crc32"

    /// The fields read before the whole manifest, so that a newer format is reported as such even when the
    /// rest of its manifest would not decode.
    package struct Header: Decodable {
        var format: String
        var version: Int
        var writtenBy: String?
    }

    package static func checksumText(of data: Data) -> String {
        String(format: "%08x\n", data.withUnsafeBytes { CRC32.checksum($0) })
    }

    /// The longest stored list `build` writes (and an index may record).
    public static let maximumK = 10_000

    /// Throws unless the counts the reader sizes arrays with are in range (no overflow, no absurd
    /// allocation, whatever the bytes).
    func checkBounds(path: String) throws {
        let limits: [(String, Int?, ClosedRange<Int>)] = [
            ("k", k, 1...Self.maximumK), ("articleCount", articleCount, 0...Int(Int32.max)), ("vocabularySize", vocabularySize, 0...Int(Int32.max)),
            ("tailRows", tailRows, 0...articleCount), ("deletedRows", deletedRows, 0...articleCount),
            ("modelDocumentCount", modelDocumentCount, 0...Int(Int32.max)), ("addedSinceFit", addedSinceFit, 0...Int.max / 2),
        ]
        for (name, value, range) in limits {
            if let value, !range.contains(value) {
                throw IndexError.corrupt(path: path, reason: "\(name) \(value) is outside \(range.lowerBound)...\(range.upperBound)")
            }
        }
    }

    public var format = IndexManifest.formatName
    public var version = IndexManifest.currentVersion
    public var created: String
    /// The release that wrote this generation, e.g. "seealso 0.9.0" (absent in indexes of releases before 0.9).
    public var writtenBy: String?
    /// Rows stored, deleted ones included (`SeeAlsoEngine.articleCount` counts the live articles).
    public var articleCount: Int
    /// Articles in the tail segment (added since the base segment was written); nil or 0: none.
    public var tailRows: Int?
    /// Rows of deleted articles still stored (unlisted until compaction); nil or 0: none. Live
    /// articles: `articleCount - deletedRows`.
    public var deletedRows: Int?
    public var vocabularySize: Int
    public var storedEntries: Int
    /// Length of each precomputed related list.
    public var k: Int
    /// How the lists were computed: "exact", "dense" or "partitioned".
    public var method: String
    /// For approximate methods: recall@10 against exact lists measured on a sample at build time.
    public var measuredRecall: Double?
    public var configuration: TfidfConfiguration
    /// n of the idf formula (documents the model was fitted on).
    public var modelDocumentCount: Int
    /// Inputs the index was built and extended from, in order (a record: `--refit` reads the stored texts).
    public var sources: [String]
    /// Articles added since the model was fitted, and their out-of-vocabulary token share.
    public var addedSinceFit: Int
    public var addedOutOfVocabularyRate: Double?
    public var denseDimensions: Int?
    public var partitions: Int?
    /// The settings of the partitioned (or dense) method, so that `add` runs the same stages.
    package var partitioned: PartitionedIndex.Options?
    public var files: [String: FileRecord]
    /// Wall time of each build stage in seconds.
    public var buildSeconds: [String: Double]
}
