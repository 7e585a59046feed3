import Foundation
#if canImport(Glibc)
import Glibc
#endif
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import SeeAlso
import SeeAlsoServer
import SeeAlsoTestSupport
import Testing

/// `seealso serve` as a user runs it: the listening line on standard output, and SIGTERM while a write
/// is queued — the write is answered and published, then the process exits 0. The test holds the
/// index's writer lock (as a CLI writer would) so that the write is certainly still queued at SIGTERM.
@Suite struct ShutdownTests {
    struct Planned: Error {}

    /// When the services are cancelled (here: the test body fails), every service returns — the writer
    /// used to wait for work forever, so a failing test hung the whole test run.
    @Test(.timeLimit(.minutes(1))) func cancellationStopsEveryService() async throws {
        let fixture = try ServerFixture("serve-cancel", count: 40)
        defer { fixture.remove() }
        await #expect(throws: Planned.self) {
            try await fixture.withServer(fixture.options()) { client in
                #expect(try await client.send(.get, "/healthz").status == .ok)
                throw Planned()
            }
        }
    }

    @Test func sigtermFinishesTheQueuedWritesThenExits() async throws {
        let fixture = try ServerFixture("serve-sigterm", count: 120)
        defer { fixture.remove() }
        let process = Process()
        process.executableURL = try SeeAlsoExecutable.require()
        process.arguments = ["serve", "--index", fixture.index, "--port", "0", "--api-keys", fixture.keys, "--log-level", "warning"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            guard !chunk.isEmpty else { break }
            line += chunk
        }
        let listening = try #require(try JSONSerialization.jsonObject(with: line.prefix { $0 != UInt8(ascii: "\n") }) as? [String: Any])
        let port = try #require(listening["port"] as? Int)
        #expect(listening["listening"] as? String == "http://127.0.0.1:\(port)")

        let articles = NewsWorld(seed: 11, topicCount: 4, storiesPerTopic: 5).articles(count: 3, seed: 61, idPrefix: "last")
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/v1/articles/batch")!)
        request.httpMethod = "POST"
        request.setValue("Bearer " + fixture.writeKey, forHTTPHeaderField: "Authorization")
        request.httpBody = Data(("{\"upsert\":[" + articles.map(jsonBody).joined(separator: ",") + "]}").utf8)
        let held = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let index = fixture.index
        Thread.detachNewThread {
            _ = try? IndexDirectory(path: index).withWriter(waitSeconds: 10, purpose: .change) { _ in
                held.signal()
                release.wait()
            }
        }
        held.wait()
        async let answer = URLSession.shared.data(for: request)
        // Queued: the server's writer waits for the lock the test holds.
        var queued = false
        for _ in 0..<400 where !queued {
            try await Task.sleep(for: .milliseconds(10))
            let (metrics, _) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/metrics")!)
            queued = String(decoding: metrics, as: UTF8.self).contains("seealso_write_queue_articles 3.0")
        }
        #expect(queued)
        kill(process.processIdentifier, SIGTERM)
        try await Task.sleep(for: .milliseconds(100))
        release.signal()
        let (body, response) = try await answer
        #expect((response as? HTTPURLResponse)?.statusCode == 200, "\(String(decoding: body, as: UTF8.self))")
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == 0)
        let engine = try SeeAlsoEngine(path: fixture.index)
        #expect(articles.allSatisfy { engine.article(withID: $0.id) != nil })
    }
}
