import Foundation
import SeeAlsoCorpus
import SeeAlsoTestSupport

/// What the reader targets share: generated articles for seeds, and reading a path strictly and with
/// `skipInvalid`, where articles or a `CorpusError` are the only allowed outcomes (a trap or a sanitizer
/// report is a finding).
package enum ReaderFuzzing {
    /// A few generated articles of every kind `NewsWorld` makes (empty titles, dates with and without a
    /// time, non-ASCII ids).
    package static let articles = NewsWorld(seed: 97, topicCount: 2, storiesPerTopic: 2).articles(count: 6, seed: 3)

    /// `bytes` and its gzip compression, as seeds.
    package static func plainAndGzip(_ bytes: [UInt8], in scratch: TemporaryDirectory) throws -> [[UInt8]] {
        let compressed = try scratch.gzip(try scratch.write("seed-\(UUID().uuidString)", bytes: bytes))
        return [bytes, Array(try Data(contentsOf: URL(fileURLWithPath: compressed)))]
    }

    /// Reads `path` twice: stopping at the first invalid record, and skipping invalid records.
    package static func read(_ path: String, format: CorpusFormat) {
        for skipInvalid in [false, true] {
            var options = CorpusOptions()
            options.format = format
            options.skipInvalid = skipInvalid
            do {
                _ = try CorpusReader(path: path, options: options).readAll()
            } catch is CorpusError {
            } catch {
                fatalError("\(path): not a CorpusError: \(error)")
            }
        }
    }
}
