import Foundation

/// What one published generation changed, for caches: a CMS re-renders the pages of the articles
/// listed here instead of every page. Stored as `DIR/changes/generation-N.json`; read back with
/// `seealso changes --since GENERATION`.
public struct ChangeRecord: Codable, Sendable, Equatable {
    /// The generation this record describes (set when it is published).
    public var generation = 0
    public var created: String
    /// "build", "add", "update", "delete" or "cluster".
    public var operation: String
    /// The whole index was written anew (`build`, `--refit`): every page may have changed.
    public var rebuilt = false
    public var added: [String] = []
    public var updated: [String] = []
    public var deleted: [String] = []
    /// Other articles whose "See also" box changed: a list entry came, went, moved or changed score,
    /// or an entry is an updated article (its title or date may have changed).
    public var listsChanged: [String] = []
    /// Topic or story assignments changed (`cluster`): boxes that show them may change.
    public var clustersChanged = false

    package init(operation: String, rebuilt: Bool = false) {
        created = ISO8601DateFormatter().string(from: Date())
        self.operation = operation
        self.rebuilt = rebuilt
    }

    func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(self)
    }
}
