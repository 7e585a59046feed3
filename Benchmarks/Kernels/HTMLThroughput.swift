import Foundation
import SeeAlso
import SeeAlsoSupport

/// `--html-bodies FILE`: the HTML cleaner's speed on one core, over the bodies of a JSON Lines archive
/// read as they are (`--html off`): `HTMLText.clean` on every body, and `HTMLText.looksLikeHTML` (the
/// `auto` test) on every body and on every cleaned body (plain text, which it must scan to the end).
struct HTMLReport: Encodable {
    var input: String
    var bodies: Int
    var htmlBytes: Int
    var plainBytes: Int
    var cleanSeconds: Double
    var cleanMBPerSecond: Double
    var detectHTMLMBPerSecond: Double
    var detectPlainMBPerSecond: Double
}

extension KernelsCommand {
    func benchHTML(_ path: String) throws -> HTMLReport {
        let bodies = try articlesAsTheyAre(path).map(\.body)
        let htmlBytes = bodies.reduce(0) { $0 + $1.utf8.count }
        var best = Double.infinity
        var cleaned: [String] = []
        for _ in 0..<repeats {
            let watch = Stopwatch()
            cleaned = bodies.map(HTMLText.clean)
            best = min(best, watch.seconds)
        }
        func detectionSeconds(_ texts: [String]) -> Double {
            var fastest = Double.infinity
            for _ in 0..<repeats {
                let watch = Stopwatch()
                let hits = texts.reduce(0) { $0 + (HTMLText.looksLikeHTML($1) ? 1 : 0) }
                fastest = min(fastest, watch.seconds)
                precondition(hits >= 0)
            }
            return fastest
        }
        let plainBytes = cleaned.reduce(0) { $0 + $1.utf8.count }
        return HTMLReport(
            input: path, bodies: bodies.count, htmlBytes: htmlBytes, plainBytes: plainBytes, cleanSeconds: best,
            cleanMBPerSecond: Double(htmlBytes) / best / 1e6,
            detectHTMLMBPerSecond: Double(htmlBytes) / detectionSeconds(bodies) / 1e6,
            detectPlainMBPerSecond: Double(plainBytes) / detectionSeconds(cleaned) / 1e6)
    }
}

extension KernelsCommand {
    /// The articles of a JSON Lines archive read with `--html off`: bodies exactly as the file holds them.
    func articlesAsTheyAre(_ path: String) throws -> [Article] {
        var options = CorpusOptions()
        options.html = .off
        return try CorpusReader(path: path, options: options).readAll().articles
    }
}
