import Foundation
import Testing
import SeeAlsoCorpus
import SeeAlsoSupport
import SeeAlsoTestSupport

/// A seeded mutation test of the readers: a valid JSON Lines file, CSV file and folder of text files
/// (gzip-compressed or not) have random bytes flipped, inserted, removed or cut, for 30 seconds each;
/// reading must give articles or a `CorpusError`, never a trap.
@Suite struct ReaderMutationTests {
    static let articles = NewsWorld(seed: 98).articles(count: 12, seed: 1)

    static func mutate(_ bytes: [UInt8], _ random: inout SplitMix64) -> [UInt8] {
        var bytes = bytes
        for _ in 0..<1 + random.nextIndex(below: 4) where !bytes.isEmpty {
            let position = random.nextIndex(below: bytes.count)
            switch random.nextIndex(below: 5) {
            case 0: bytes[position] ^= UInt8(1 << random.nextIndex(below: 8))
            case 1: bytes[position] = [0x00, 0x22, 0x2C, 0x0A, 0x0D, 0x5C, 0x7B, 0x7D, 0xC3, 0xFF][random.nextIndex(below: 10)]
            case 2: bytes.insert(UInt8(random.nextIndex(below: 256)), at: position)
            case 3: bytes.remove(at: position)
            default: bytes.removeSubrange(position...)
            }
        }
        return bytes
    }

    @Test(arguments: ["jsonl", "csv", "folder"])
    func mutatedInputNeverCrashesAReader(_ format: String) throws {
        try withTemporaryDirectory("reader-mutation") { dir in
            let plain: [UInt8] = format == "csv" ? Array(csvText(Self.articles).utf8)
                : Array((try String(contentsOfFile: try writeJSONL(Self.articles, to: dir.path("seed.jsonl")), encoding: .utf8)).utf8)
            let compressed = try Array(Data(contentsOf: URL(fileURLWithPath: try dir.gzip(try dir.write("seed." + (format == "csv" ? "csv" : "txt"), bytes: plain)))))
            var random = SplitMix64(seed: format == "jsonl" ? 11 : format == "csv" ? 12 : 13)
            var read = 0, refused = 0
            let clock = Date()
            while Date().timeIntervalSince(clock) < 30 {
                let gzip = random.chance(0.3)
                let bytes = Self.mutate(gzip ? compressed : plain, &random)
                let path: String
                var options = CorpusOptions()
                options.skipInvalid = random.chance(0.3)
                switch format {
                case "jsonl": path = try dir.write("case.jsonl" + (gzip ? ".gz" : ""), bytes: bytes)
                case "csv": path = try dir.write("case.csv" + (gzip ? ".gz" : ""), bytes: bytes)
                default:
                    try? FileManager.default.removeItem(atPath: dir.path("folder"))
                    try FileManager.default.createDirectory(atPath: dir.path("folder/sub"), withIntermediateDirectories: true)
                    _ = try dir.write("folder/a.txt" + (gzip ? ".gz" : ""), bytes: bytes)
                    _ = try dir.write("folder/sub/b.md", bytes: Self.mutate(plain, &random))
                    path = dir.path("folder")
                }
                do {
                    _ = try CorpusReader(path: path, options: options).readAll()
                    read += 1
                } catch is CorpusError {
                    refused += 1
                }
            }
            #expect(read + refused > 200, "\(format): \(read) read, \(refused) refused")
        }
    }
}
