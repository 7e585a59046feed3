import SeeAlsoSupport

/// The id rules of one write, checked in the order the changes are read: each id in at most one
/// change, added ids new, updated and deleted ids present. Errors name the input file and position.
struct ChangeIDs {
    /// Whether the index holds an article with this id.
    let isPresent: (String) -> Bool
    private var claimed: [String: String] = [:]

    init(isPresent: @escaping (String) -> Bool) { self.isPresent = isPresent }

    /// Checks the ids of the articles read from `file` for change `kind`, in order. With `skipInvalid`, an
    /// article that breaks a rule is reported (on `progress`) and left out instead of ending the write;
    /// returns the positions left out.
    mutating func check(_ articleIDs: [String], _ kind: String, file: String, skipInvalid: Bool,
                        progress: any ProgressReporter) throws -> [Int] {
        var skipped = SkippedRecords()
        var positions: [Int] = []
        for (position, id) in articleIDs.enumerated() {
            do {
                try check(id, kind, file: file, position: position)
            } catch let error as CorpusError where skipInvalid {
                skipped.append(error)
                positions.append(position)
            }
        }
        if skipped.count > 0 { progress.note("seealso: " + skipped.summary()) }
        return positions
    }

    /// Checks article `position` (0-based) of `file`, given to change `kind` ("add", "update" or "delete").
    mutating func check(_ id: String, _ kind: String, file: String, position: Int) throws {
        if kind == "delete", !isPresent(id) { throw IndexError.unknownArticle(id: id) }
        let place = "article \(position + 1) of the input: id \"\(id)\""
        if let earlier = claimed[id] {
            throw CorpusError(.duplicateID, file: file, field: "id", place + " is given twice (to \(earlier) and to \(kind))")
        }
        claimed[id] = kind
        if kind == "add", isPresent(id) {
            throw CorpusError(.duplicateID, file: file, field: "id", place + " is already in the index (`seealso update` replaces it)")
        }
        if kind == "update", !isPresent(id) {
            throw CorpusError(.unknownID, file: file, field: "id", place + " is not in the index (`seealso add` adds it)")
        }
    }
}
