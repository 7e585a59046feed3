/// What changed in an index after a generation, merged over the change records of every generation
/// since (see `ChangeRecord`).
public struct ChangeSummary: Sendable, Codable, Equatable {
    /// The live generation: pass it as `since` next time.
    public var generation: Int
    public var since: Int
    /// False when some generation after `since` has no record (records are kept for
    /// `IndexDirectory.keptChangeRecords` generations) or rebuilt the index: refresh every page.
    public var complete: Bool
    /// Articles that are new since then (and still present).
    public var added: [String]
    /// Articles replaced since then (and still present).
    public var updated: [String]
    /// Articles removed since then.
    public var deleted: [String]
    /// Other articles whose "See also" box changed.
    public var listsChanged: [String]
    /// Topics or stories were clustered again.
    public var clustersChanged: Bool
}

extension ChangeSummary {
    /// The summary for a person: the live generation and whether the records are complete, then each
    /// kind of change with its ids.
    public var lines: [String] {
        ["generation \(generation) (since \(since)): \(complete ? "complete" : "INCOMPLETE: refresh every page")"]
            + [("added", added), ("updated", updated), ("deleted", deleted), ("lists changed", listsChanged)].map { name, ids in
                "\(name) (\(ids.count)): \(ids.joined(separator: " "))"
            }
    }
}

extension SeeAlsoEngine {
    /// The pages to refresh after generation `since` of the index at `path`: each id once, under its
    /// latest change (an article added and then deleted counts as deleted). O(ids in the records).
    public static func changes(in path: String, since: Int) throws -> ChangeSummary {
        let directory = IndexDirectory(path: path)
        let (records, oldestKept, live) = try directory.changeRecords(since: since)
        guard let live else { throw IndexError.notAnIndex(path: path, reason: "no CURRENT file (build one with `seealso build`)") }
        guard since <= live else { throw IndexError.invalid("--since \(since): the live generation is \(live)") }
        var latest: [String: String] = [:]
        var order: [String] = []
        var complete = since == live || (oldestKept.map { $0 <= since + 1 } ?? false)
        var clustersChanged = false
        func note(_ ids: [String], _ change: String) {
            for id in ids {
                if latest[id] == nil { order.append(id) }
                switch (latest[id], change) {
                case ("added", "updated"), ("added", "lists"), ("updated", "lists"): continue
                default: latest[id] = change
                }
            }
        }
        var expected = since + 1
        for record in records {
            if record.generation != expected || record.rebuilt { complete = false }
            expected = record.generation + 1
            clustersChanged = clustersChanged || record.clustersChanged
            note(record.listsChanged, "lists")
            note(record.added, "added")
            note(record.updated, "updated")
            note(record.deleted, "deleted")
        }
        if since < live && expected != live + 1 { complete = false }
        func ids(_ change: String) -> [String] { order.filter { latest[$0] == change } }
        return ChangeSummary(generation: live, since: since, complete: complete, added: ids("added"), updated: ids("updated"),
                             deleted: ids("deleted"), listsChanged: ids("lists"), clustersChanged: clustersChanged)
    }
}
