import Foundation
import SeeAlsoSupport

/// `ArchiveChanges.upsert`, turned into an add and an update input under the writer lock: the
/// articles whose ids the index holds are updated, the others added. Each group is written to a
/// temporary JSON Lines file (removed afterwards) so that it takes the readers' one path, and the
/// index records it as the source "upsert".
enum UpsertFiles {
    static let recordedName = "upsert"

    static func resolving<Result>(_ changes: ArchiveChanges, present: (String) -> Bool,
                                  _ body: (ArchiveChanges) throws -> Result) throws -> Result {
        guard !changes.upsert.isEmpty else { return try body(changes) }
        var resolved = changes
        resolved.upsert = []
        var files: [String] = []
        defer { for file in files { try? FileManager.default.removeItem(atPath: file) } }
        let updated = changes.upsert.filter { present($0.id) }
        let added = changes.upsert.filter { !present($0.id) }
        for (articles, kind) in [(added, "add"), (updated, "update")] where !articles.isEmpty {
            let path = FileManager.default.temporaryDirectory.path + "/seealso-\(kind)-\(UUID().uuidString).jsonl"
            files.append(path)
            let lines = articles.map { JSONLine.encode($0) + "\n" }.joined()
            guard FileManager.default.createFile(atPath: path, contents: Data(lines.utf8)) else {
                throw IndexError.io(path: path, reason: "cannot write the upserted articles to a temporary file")
            }
            var input = ArchiveInput(path)
            input.recordedName = recordedName
            if kind == "add" { resolved.add = input } else { resolved.update = input }
        }
        return try body(resolved)
    }
}

extension Array where Element == String {
    /// The array with the elements of `more` it does not hold yet appended (in order, once each).
    func addingNew(_ more: [String]) -> [String] {
        var seen = Set(self)
        return self + more.filter { seen.insert($0).inserted }
    }
}
