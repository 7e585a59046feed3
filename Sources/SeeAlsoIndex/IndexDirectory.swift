import Foundation
import SeeAlsoSupport

/// An index directory holds numbered generations and a `CURRENT` file naming the live one:
///
///     DIR/CURRENT              "generation-000007"
///     DIR/generation-000007/   manifest.json, articles.sal, model.sal, matrix.sal, …
///
/// A writer fills a new `generation-N.partial` folder, fsyncs it, renames it to `generation-N`,
/// then replaces `CURRENT` atomically (write aside, fsync, rename). Readers follow `CURRENT`, so
/// a build or add that is interrupted at any point leaves the previous index intact; leftovers
/// are removed by the next successful write. An exclusive `flock` on `DIR/LOCK` keeps two
/// writers apart.
package struct IndexDirectory: Sendable {
    package let path: String

    package init(path: String) { self.path = path }

    var currentFile: String { path + "/CURRENT" }

    /// The live generation's folder, or nil when the directory holds no index yet.
    package func liveGeneration() throws -> String? {
        guard let data = FileManager.default.contents(atPath: currentFile) else { return nil }
        let name = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard name.hasPrefix("generation-"), !name.contains("/") else {
            throw IndexError.corrupt(path: currentFile, reason: "does not name a generation")
        }
        return path + "/" + name
    }

    /// Runs `write` with a fresh generation folder and publishes it when `write` returns.
    /// Throws (leaving the live generation untouched) when `write` throws.
    package func publish(_ write: (String) throws -> Void) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let lock = try DirectoryLock(path: path + "/LOCK")
        defer { lock.release() }
        let number = try nextGenerationNumber()
        let name = String(format: "generation-%06d", number)
        let partial = path + "/" + name + ".partial"
        try? FileManager.default.removeItem(atPath: partial)
        try FileManager.default.createDirectory(atPath: partial, withIntermediateDirectories: false)
        do {
            try write(partial)
            try System.syncDirectory(partial)
            try System.rename(partial, to: path + "/" + name)
            try System.syncDirectory(path)
            try AtomicFileWriter.write(Array((name + "\n").utf8), to: currentFile)
            try System.syncDirectory(path)
        } catch let error as SystemError {
            try? FileManager.default.removeItem(atPath: partial)
            throw IndexError(error)
        } catch {
            try? FileManager.default.removeItem(atPath: partial)
            throw error
        }
        removeStaleGenerations(keeping: name)
    }

    private func nextGenerationNumber() throws -> Int {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        let numbers = names.compactMap { name -> Int? in
            guard name.hasPrefix("generation-") else { return nil }
            return Int(name.dropFirst("generation-".count).prefix(6))
        }
        return (numbers.max() ?? 0) + 1
    }

    private func removeStaleGenerations(keeping live: String) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        for name in names where name.hasPrefix("generation-") && name != live {
            try? FileManager.default.removeItem(atPath: path + "/" + name)
        }
        for name in names where name.hasPrefix(".CURRENT.tmp-") {
            try? FileManager.default.removeItem(atPath: path + "/" + name)
        }
    }
}

/// An exclusive advisory lock on a file (flock), released on `release()` or process exit.
final class DirectoryLock {
    private let file: FileDescriptor

    init(path: String) throws {
        do {
            file = try FileDescriptor.open(path, .readWriteCreate)
            guard try file.tryLockExclusive() else {
                try? file.close()
                throw IndexError.busy(path: path)
            }
        } catch let error as SystemError {
            throw IndexError(error)
        }
    }

    func release() {
        file.unlock()
        try? file.close()
    }
}
