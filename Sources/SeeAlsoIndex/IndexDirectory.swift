import Foundation
import SeeAlsoSupport

/// An index directory holds numbered generations, a `CURRENT` file naming the live one, the writer
/// lock and the change records:
///
///     DIR/CURRENT              "generation-000007"
///     DIR/generation-000007/   manifest.json, articles.sal, model.sal, matrix.sal, …
///     DIR/LOCK                 flock'ed by the one writer
///     DIR/changes/generation-000007.json   what that generation changed (`ChangeRecord`)
///
/// Every writer (`build` over an index, `add`, `update`, `delete`, `cluster`) holds the exclusive lock
/// on `DIR/LOCK` across its whole read–modify–publish (`withWriter`), so two writers never both
/// succeed with one's work lost: the second waits, then reads what the first published. A writer fills
/// a new `generation-N.partial` folder, fsyncs it, renames it to `generation-N`, writes its change
/// record, then replaces `CURRENT` atomically (write aside, fsync, rename). Readers follow `CURRENT`, so
/// an interrupted writer leaves the previous index intact.
///
/// Readers take no lock. A reader keeps the generation it opened for as long as it holds it (its files
/// are memory-mapped, and mappings survive unlinking); the generation that was live before the newest
/// publish is kept on disk too, so a reader that read `CURRENT` just before a publish still finds its
/// files, and one that races two publishes retries with the new `CURRENT` (`Index.init`).
package struct IndexDirectory: Sendable {
    package let path: String

    package init(path: String) { self.path = path }

    var currentFile: String { path + "/CURRENT" }
    var changesFolder: String { path + "/changes" }

    /// Change records are kept for this many generations; `changes --since` an older one reports that
    /// records are missing (refresh everything).
    package static let keptChangeRecords = 1000
    /// Names of files a writer writes beside the generations before it publishes them.
    static let pendingPrefix = ".pending-"

    /// The live generation's folder, or nil when the directory holds no index yet.
    package func liveGeneration() throws -> String? {
        guard let data = FileManager.default.contents(atPath: currentFile) else { return nil }
        let name = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard name.hasPrefix("generation-"), !name.contains("/") else {
            throw IndexError.corrupt(path: currentFile, reason: "does not name a generation")
        }
        return path + "/" + name
    }

    /// The number of a generation folder's name ("…/generation-000012" → 12).
    package static func number(ofGeneration folder: String) -> Int? {
        let name = folder.split(separator: "/").last.map(String.init) ?? folder
        guard name.hasPrefix("generation-") else { return nil }
        return Int(name.dropFirst("generation-".count).prefix(while: \.isNumber))
    }

    /// What a writer does to the directory.
    package enum WriterPurpose: Sendable {
        /// Write a whole new index (`build`): into a new or empty directory or over an index; into a
        /// directory holding anything else only with `force` (and even then nothing not SeeAlso's is removed).
        case replace(force: Bool)
        /// Change the index the directory holds (`add`, `update`, `delete`, `refit`, `cluster`).
        case change
    }

    /// Runs `body` as the directory's one writer: it takes the exclusive lock on `DIR/LOCK`, waiting up
    /// to `waitSeconds` for another writer to finish (then throws `IndexError.busy`), and holds it until
    /// `body` returns. Everything `body` reads and publishes is therefore one atomic step. The directory
    /// is checked first (`purpose`), before anything is written into it; a directory this call creates
    /// is removed again when nothing was published in it.
    package func withWriter<Result>(waitSeconds: Double, purpose: WriterPurpose,
                                    _ body: (IndexWriterSession) throws -> Result) throws -> Result {
        let created = !FileManager.default.fileExists(atPath: path)
        try check(purpose)
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw IndexError.io(path: path, reason: "cannot create the index directory (\(error.localizedDescription))")
        }
        let lockPath = path + "/LOCK"
        let file: FileDescriptor
        do {
            file = try FileDescriptor.open(lockPath, .readWriteCreate)
            let clock = Stopwatch()
            while try !file.tryLockExclusive() {
                guard clock.seconds < waitSeconds else {
                    try? file.close()
                    throw IndexError.busy(path: path, waitedSeconds: clock.seconds)
                }
                Thread.sleep(forTimeInterval: 0.02)
            }
            // The folders a publish writes into are made now, so that a failure names them before any work.
            var isFolder: ObjCBool = false
            if !FileManager.default.fileExists(atPath: changesFolder, isDirectory: &isFolder) || !isFolder.boolValue {
                try System.makeDirectory(changesFolder)
            }
        } catch let error as SystemError {
            throw IndexError(error)
        }
        defer {
            // Files written for a generation that was not published (or left by a killed writer).
            let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            for name in names where name.hasPrefix(Self.pendingPrefix) { try? FileManager.default.removeItem(atPath: path + "/" + name) }
            if created && !FileManager.default.fileExists(atPath: currentFile) { try? FileManager.default.removeItem(atPath: path) }
            file.unlock()
            try? file.close()
        }
        return try body(IndexWriterSession(directory: self))
    }

    /// Refuses a writer a directory that is not a SeeAlso index (see `WriterPurpose`).
    private func check(_ purpose: WriterPurpose) throws {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        let isIndex = names.contains("CURRENT")
        switch purpose {
        case .change:
            guard isIndex else { throw IndexError.notAnIndex(path: path, reason: "no CURRENT file (build one with `seealso build`)") }
        case .replace(let force):
            // LOCK, changes/ and pending files are a writer's own: a directory holding only those is empty.
            let foreign = names.filter { !["LOCK", "changes"].contains($0) && !$0.hasPrefix(Self.pendingPrefix) && !Self.isGenerationFolder($0) }
            guard isIndex || force || foreign.isEmpty else {
                throw IndexError.notAnIndex(path: path, reason: "the directory holds \(foreign.count) entries (\(foreign.sorted().prefix(3).joined(separator: ", ")))"
                                            + " and no index; build writes only into a new or empty directory or over an index "
                                            + "(`--force` builds there anyway and removes nothing that is not SeeAlso's)")
            }
        }
    }

    /// Whether `name` is one of SeeAlso's generation folders: "generation-" and six digits, ".partial" or not.
    static func isGenerationFolder(_ name: String) -> Bool {
        let stem = name.hasSuffix(".partial") ? String(name.dropLast(".partial".count)) : name
        let digits = stem.dropFirst("generation-".count)
        return stem.hasPrefix("generation-") && digits.count == 6 && digits.allSatisfy(\.isASCII) && digits.allSatisfy(\.isNumber)
    }

    private func nextGenerationNumber() -> Int {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        let numbers = names.filter(Self.isGenerationFolder).compactMap(Self.number(ofGeneration:))
        return (numbers.max() ?? 0) + 1
    }

    /// Publishes a generation filled by `write` (see the type's description); returns its number.
    fileprivate func publish(record: ChangeRecord?, _ write: (String) throws -> Void) throws -> Int {
        let previous = try? liveGeneration()
        let number = nextGenerationNumber()
        let name = String(format: "generation-%06d", number)
        let partial = path + "/" + name + ".partial"
        try? FileManager.default.removeItem(atPath: partial)
        do {
            try System.makeDirectory(partial)
            try write(partial)
            try System.syncDirectory(partial)
            try System.rename(partial, to: path + "/" + name)
            try System.syncDirectory(path)
            if var record {
                record.generation = number
                try AtomicFileWriter.write(Array(try record.encoded()), to: changesFolder + "/" + name + ".json")
            }
            try AtomicFileWriter.write(Array((name + "\n").utf8), to: currentFile)
            try System.syncDirectory(path)
        } catch let error as SystemError {
            try? FileManager.default.removeItem(atPath: partial)
            throw IndexError(error)
        } catch {
            try? FileManager.default.removeItem(atPath: partial)
            throw error
        }
        removeStaleFiles(keeping: [name, previous.flatMap { $0.split(separator: "/").last.map(String.init) }].compactMap { $0 },
                         newest: number)
        return number
    }

    /// Removes generations other than the live one and the one it replaced, leftovers of interrupted
    /// writers, and change records older than `keptChangeRecords` generations.
    private func removeStaleFiles(keeping kept: [String], newest: Int) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        for name in names where Self.isGenerationFolder(name) && !kept.contains(name) {
            try? FileManager.default.removeItem(atPath: path + "/" + name)
        }
        for name in names where name.hasPrefix(".CURRENT.tmp-") {
            try? FileManager.default.removeItem(atPath: path + "/" + name)
        }
        let records = (try? FileManager.default.contentsOfDirectory(atPath: changesFolder)) ?? []
        for name in records {
            // A record newer than the live generation was left by a writer interrupted before publishing.
            guard let number = Self.number(ofGeneration: name), number <= newest - Self.keptChangeRecords || number > newest else { continue }
            try? FileManager.default.removeItem(atPath: changesFolder + "/" + name)
        }
    }

    /// The change records of generations after `generation` up to the live one, oldest first, and the
    /// oldest generation whose record is kept.
    package func changeRecords(since generation: Int) throws -> (records: [ChangeRecord], oldestKept: Int?, live: Int?) {
        let live = try liveGeneration().flatMap(Self.number(ofGeneration:))
        let names = (try? FileManager.default.contentsOfDirectory(atPath: changesFolder)) ?? []
        let numbers = names.compactMap { name -> Int? in
            guard name.hasSuffix(".json"), let number = Self.number(ofGeneration: name), number <= (live ?? 0) else { return nil }
            return number
        }.sorted()
        var records: [ChangeRecord] = []
        for number in numbers where number > generation {
            let file = changesFolder + String(format: "/generation-%06d.json", number)
            guard let data = FileManager.default.contents(atPath: file) else { continue }
            do {
                records.append(try JSONDecoder().decode(ChangeRecord.self, from: data))
            } catch {
                throw IndexError.corrupt(path: file, reason: "unreadable change record (\(error))")
            }
        }
        return (records, numbers.first, live)
    }
}

/// The one writer of an index directory, while it holds the lock (`IndexDirectory.withWriter`).
package struct IndexWriterSession {
    package let directory: IndexDirectory

    /// Publishes a new generation filled by `write(folder)`, with `record` as its change record; returns
    /// the generation's number. Throws (leaving the live generation untouched) when `write` throws.
    @discardableResult
    package func publish(record: ChangeRecord?, _ write: (String) throws -> Void) throws -> Int {
        try directory.publish(record: record, write)
    }
}
