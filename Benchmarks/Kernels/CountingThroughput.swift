import Foundation
import SeeAlso
import SeeAlsoSupport
import SeeAlsoVectorize

/// `--count-texts FILE`: tokenizing and counting on one core, over the articles of an archive already
/// in memory (`--html off`, scikit-learn's analyzer settings): the vectorizer's per-worker kernel
/// (`CountingKernel`) without reading, decoding, merging vocabularies or weighting. MB are the UTF-8
/// bytes of title + "\n" + body, the text scikit-learn's peer analyzes.
struct CountingReport: Encodable {
    var input: String
    var articles: Int
    var textBytes: Int
    var terms: Int
    var entries: Int
    var seconds: [Double]
    var medianSeconds: Double
    var megabytesPerSecond: Double
}

extension KernelsCommand {
    func benchCounting(_ path: String) throws -> CountingReport {
        let articles = try articlesAsTheyAre(path)
        let textBytes = articles.reduce(0) { $0 + $1.title.utf8.count + 1 + $1.body.utf8.count }
        var seconds: [Double] = []
        var tally: CountingKernel.Tally?
        for _ in 0..<repeats {
            let watch = Stopwatch()
            tally = try CountingKernel.count(articles, configuration: .scikitLearn)
            seconds.append(watch.seconds)
        }
        let median = seconds.sorted()[seconds.count / 2]
        return CountingReport(input: path, articles: articles.count, textBytes: textBytes, terms: tally?.terms ?? 0,
                              entries: tally?.entries ?? 0, seconds: seconds, medianSeconds: median,
                              megabytesPerSecond: Double(textBytes) / median / 1e6)
    }
}
