import Foundation

/// A fresh directory under the system temporary directory, for files a test writes.
///
/// `withTemporaryDirectory` removes it when its body returns; a directory made with `init(_:)` is
/// removed by `remove()` (use it with `defer`, or for fixtures that outlive one test).
package struct TemporaryDirectory: Sendable {
    package let url: URL

    package var path: String { url.path }

    /// Creates `seealso-test-<label>-<UUID>` under the system temporary directory.
    package init(_ label: String = "test") throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("seealso-test-\(label)-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// The absolute path of `name` inside the directory.
    package func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    /// Writes `bytes` to `name` (creating intermediate folders) and returns the file's path.
    @discardableResult
    package func write(_ name: String, bytes: [UInt8]) throws -> String {
        let target = url.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: target)
        return target.path
    }

    /// Writes UTF-8 `text` to `name` and returns the file's path.
    @discardableResult
    package func write(_ name: String, _ text: String) throws -> String {
        try write(name, bytes: Array(text.utf8))
    }

    /// Compresses the file at `path` with `/bin/gzip` into `path + ".gz"` (keeping the original).
    @discardableResult
    package func gzip(_ path: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = ["-c", "-n", "-9", path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw TestSupportError("gzip failed for \(path)") }
        let target = path + ".gz"
        try data.write(to: URL(fileURLWithPath: target))
        return target
    }

    /// The names in the directory (or in its subfolder `name`), sorted.
    package func entries(_ name: String? = nil) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: name.map(path) ?? path)) ?? []).sorted()
    }

    /// Deletes the directory and everything in it.
    package func remove() { try? FileManager.default.removeItem(at: url) }
}

/// Runs `body` with a new temporary directory that is deleted afterwards.
@discardableResult
package func withTemporaryDirectory<R>(_ label: String = "test", _ body: (TemporaryDirectory) throws -> R) throws -> R {
    let directory = try TemporaryDirectory(label)
    defer { directory.remove() }
    return try body(directory)
}

/// Runs an async `body` with a new temporary directory that is deleted afterwards.
@discardableResult
package func withTemporaryDirectory<R>(_ label: String = "test", _ body: (TemporaryDirectory) async throws -> R) async throws -> R {
    let directory = try TemporaryDirectory(label)
    defer { directory.remove() }
    return try await body(directory)
}

/// A failure of the test support itself (a tool that failed, an executable that is missing).
package struct TestSupportError: Error, CustomStringConvertible {
    package var description: String
    package init(_ description: String) { self.description = description }
}
