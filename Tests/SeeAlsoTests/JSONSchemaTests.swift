import Foundation
import Testing
import SeeAlso
import SeeAlsoTestSupport

/// Every JSON output of `seealso` checked against its schema in Schemas/ by scripts/check-json-output
/// (Python `jsonschema`; skipped where no Python has it), and the one-document `related --all`.
@Suite struct JSONSchemaTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A Python that imports jsonschema: the project's .venv (scripts/install-deps --python), else python3.
    static let python: String? = {
        for candidate in [root.appendingPathComponent(".venv/bin/python").path, "/usr/bin/python3"]
        where FileManager.default.isExecutableFile(atPath: candidate) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: candidate)
            process.arguments = ["-c", "import jsonschema, referencing"]
            process.standardError = FileHandle.nullDevice
            guard (try? process.run()) != nil else { continue }
            process.waitUntilExit()
            if process.terminationStatus == 0 { return candidate }
        }
        return nil
    }()

    @Test(.enabled(if: python != nil, "no Python with jsonschema (scripts/install-deps --python)"))
    func everyOutputMatchesItsSchema() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.python!)
        process.arguments = [Self.root.appendingPathComponent("scripts/check-json-output").path, "--seealso", try SeeAlsoExecutable.require().path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(text)")
        #expect(text.contains("documents valid"), "\(text)")
    }

    @Test func relatedAllPrintsOneDocument() throws {
        try withTemporaryDirectory("related-all") { scratch in
            try EngineFixtures.build(NewsWorld(seed: 3, topicCount: 2, storiesPerTopic: 2).articles(count: 30, seed: 1), in: scratch,
                                     options: EngineFixtures.options(k: 4))
            let arguments = ["related", "--index", scratch.path("index"), "--all", "--quiet", "--min-score", "0"]
            let document = try SeeAlsoExecutable.output(arguments + ["--format", "json"])
            let lines = try SeeAlsoExecutable.output(arguments + ["--format", "jsonl"]).split(separator: "\n")
            #expect(lines.count == 30)
            #expect(document == "{\"lists\":[" + lines.joined(separator: ",") + "]}\n")
            let parsed = try JSONSerialization.jsonObject(with: Data(document.utf8)) as? [String: Any]
            #expect((parsed?["lists"] as? [Any])?.count == 30)
        }
    }
}
