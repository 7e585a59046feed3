import Foundation
import Testing

/// Attach + reload through a real index: the `seealso` executable built with the tests builds a tiny
/// index (IndexBuilder/IndexWriter) in a temporary folder, clusters it into topics and stories
/// (IndexWriter.attachClusters), and `related` / `eval` read the clusters back.
///
/// This suite drives the CLI because the SeeAlsoClusteringTests target depends on SeeAlsoClustering
/// only (Package.swift), so it cannot import SeeAlsoIndex; `swift test` builds the executable with the
/// test products, next to the test runner.
@Suite struct IndexRoundTripThroughCLITests {
    static var executable: String? {
        let runner = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var folder = runner.deletingLastPathComponent()
        for _ in 0..<3 {
            let candidate = folder.appendingPathComponent("seealso").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        return nil
    }

    @discardableResult
    static func run(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable!)
        process.arguments = arguments
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CLIError(message: "seealso \(arguments.joined(separator: " ")) exited \(process.terminationStatus): \(errorText)")
        }
        return String(decoding: data, as: UTF8.self)
    }

    struct CLIError: Error { let message: String }

    /// Two topics with three stories each; each story's articles share words and fall within 3 days.
    static func archive() -> String {
        let words = ["zor", "quem", "blat", "trix", "vulm", "snod", "pilk", "merg", "wabe", "frum", "glon", "hask"]
        var lines: [String] = []
        var number = 0
        for topic in 0..<2 {
            for story in 0..<3 {
                let storyWords = (0..<4).map { "\(words[(topic * 6 + story * 2 + $0) % words.count])\(topic)\(story)" }
                let topicWords = (0..<4).map { "topic\(topic)word\($0)" }
                for copy in 0..<4 {
                    let body = (0..<30).map { index -> String in
                        index % 3 == 0 ? topicWords[(index + copy) % 4] : storyWords[(index + copy) % 4]
                    }.joined(separator: " ")
                    let day = 1 + story * 10 + copy % 3
                    lines.append(#"{"id": "a\#(number)", "title": "\#(storyWords[0]) \#(topicWords[copy % 4])", "body": "\#(body) common filler text", "date": "2020-03-\#(String(format: "%02d", day))", "label": "topic\#(topic)", "event": "story\#(topic)-\#(story)"}"#)
                    number += 1
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test(.enabled(if: executable != nil, "the seealso executable is built next to the test runner"))
    func topicsAndStoriesSurviveAnIndexRoundTrip() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("seealso-cluster-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("archive.jsonl").path
        try Self.archive().write(toFile: input, atomically: true, encoding: .utf8)
        let index = folder.appendingPathComponent("index").path
        try Self.run(["build", "--input", input, "--index", index, "--min-df", "1", "--quiet"])

        let topics = try JSONSerialization.jsonObject(with: Data(Self.run(
            ["cluster", "--index", index, "--k", "2", "--representation", "tfidf", "--gold", "label", "--format", "json", "--quiet"]).utf8)) as! [String: Any]
        #expect(topics["stored"] as? Bool == true)
        #expect(topics["clusters"] as? Int == 2)
        #expect((topics["metrics"] as! [String: Any])["normalizedMutualInformation"] as? Double == 1)
        let descriptions = topics["descriptions"] as! [[String: Any]]
        #expect(descriptions.count == 2 && descriptions.allSatisfy { ($0["size"] as? Int) == 12 })

        let stories = try JSONSerialization.jsonObject(with: Data(Self.run(
            ["cluster", "--index", index, "--method", "stories", "--threshold", "0.3", "--window", "7d", "--gold", "event", "--format", "json", "--quiet"]).utf8)) as! [String: Any]
        #expect(stories["clusters"] as? Int == 6)
        #expect((stories["metrics"] as! [String: Any])["normalizedMutualInformation"] as? Double == 1)

        // Both kinds are stored: related shows them, eval scores them.
        let related = try JSONSerialization.jsonObject(with: Data(Self.run(
            ["related", "--index", index, "--id", "a0", "--format", "json", "-k", "3"]).utf8)) as! [String: Any]
        #expect(related["topic"] as? Int != nil)
        #expect(related["story"] as? Int != nil)
        #expect(related["storySize"] as? Int == 4)
        let items = related["related"] as! [[String: Any]]
        #expect(!items.isEmpty && items.allSatisfy { $0["topic"] as? Int == related["topic"] as? Int })
        let box = try Self.run(["related", "--index", index, "--id", "a0", "-k", "2"])
        #expect(box.contains("topic \(related["topic"] as! Int)") && box.contains("story \(related["story"] as! Int) (4 articles)"))

        let evaluation = try JSONSerialization.jsonObject(with: Data(Self.run(
            ["eval", "--index", index, "--gold", "event", "--format", "json", "-k", "3"]).utf8)) as! [String: Any]
        let storyMetrics = evaluation["stories"] as! [String: Any]
        let topicMetrics = evaluation["topics"] as! [String: Any]
        #expect(storyMetrics["normalizedMutualInformation"] as? Double == 1)
        #expect(storyMetrics["bcubedF1"] as? Double == 1)
        #expect((topicMetrics["homogeneity"] as! Double) < 0.9 && abs((topicMetrics["completeness"] as! Double) - 1) < 1e-9)
        #expect(evaluation["precisionAt1"] as? Double != nil)

        // Re-clustering topics keeps the stored stories.
        try Self.run(["cluster", "--index", index, "--k", "3", "--quiet", "--format", "json"])
        let again = try JSONSerialization.jsonObject(with: Data(Self.run(
            ["eval", "--index", index, "--gold", "event", "--format", "json", "-k", "3"]).utf8)) as! [String: Any]
        #expect((again["stories"] as! [String: Any])["normalizedMutualInformation"] as? Double == 1)
        #expect((again["topics"] as! [String: Any])["clusters"] as? Int == 3)
    }
}
