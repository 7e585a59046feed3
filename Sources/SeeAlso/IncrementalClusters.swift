import SeeAlsoSupport

/// Keeps stored topics and stories current through writes, until the next `cluster`:
///
/// - a deleted row leaves its topic and story (assignment −1);
/// - a new row (added, or the new version of an updated article) joins the topic that holds the
///   largest sum of scores among its related list (ties: the lower topic id), none when its list is
///   empty;
/// - it joins the story, among those of its listed neighbours, with the highest mean TF-IDF cosine
///   between it and the story's members (average linkage, as `cluster --kind stories` merges), when
///   that mean reaches the linkage threshold and its date keeps the story within the stored window;
///   otherwise it starts a story of its own. The threshold is the stored one when the stories were
///   clustered on TF-IDF rows, else the TF-IDF default 0.2 (the LSA of the last `cluster` is not kept);
/// - cluster sizes are recounted; top terms and representatives stay those of the last `cluster`.
///
/// New rows are assigned in order, so a new row can join a story started by an earlier one.
/// Cost: O(rows) to group story members, plus per new row O(k) and the cosines with the members of its
/// neighbours' stories.
struct IncrementalClusters {
    /// Every row's list after the write.
    let lists: NeighborLists
    /// Rows from here on are new; rows before keep the stored assignments.
    let firstNewRow: Int
    /// Every row's date (seconds since 1970; Int64.min: undated).
    let dates: [Int64]
    let deleted: RowSet
    /// The canonical TF-IDF cosine of two rows.
    let cosine: (Int, Int) -> Float

    /// TF-IDF linkage threshold when the stories were clustered on LSA vectors.
    static let tfidfThreshold: Float = 0.2

    /// `stored` with the assignments of rows ..<firstNewRow (`topics`, `stories`: the stored ones,
    /// renumbered to the rows) and the new rows assigned.
    func apply(to stored: IndexClusters, topics oldTopics: [Int32], stories oldStories: [Int32]) -> IndexClusters {
        var clusters = stored
        let newRows = firstNewRow..<lists.rowCount
        let unassigned = repeatElement(Int32(-1), count: newRows.count)
        var topics = stored.topics.map { _ in oldTopics + unassigned }
        var stories = stored.stories.map { _ in oldStories + unassigned }
        for row in deleted.sorted {
            topics?[row] = -1
            stories?[row] = -1
        }
        if var assigned = topics {
            for row in newRows { assigned[row] = nearestTopic(row, assigned) }
            topics = assigned
        }
        if let assigned = stories, let configuration = stored.stories {
            let threshold = configuration.linkageOnTfidf == true ? (configuration.linkageThreshold ?? Self.tfidfThreshold) : Self.tfidfThreshold
            var members = StoryMembers(assignments: assigned, dates: dates)
            for row in newRows {
                members.add(row, to: joinedStory(row, members: members, threshold: threshold, window: configuration.windowSeconds)
                    ?? members.nextStoryID)
            }
            stories = members.assignments
        }
        clusters.topics?.assignments = topics ?? []
        clusters.stories?.assignments = stories ?? []
        if let topics { clusters.topics?.clusters = recount(stored.topics!.clusters, topics) }
        if let stories { clusters.stories?.clusters = recount(stored.stories!.clusters, stories) }
        clusters.assignedIncrementally = (stored.assignedIncrementally ?? 0) + newRows.count
        return clusters
    }

    private func nearestTopic(_ row: Int, _ assigned: [Int32]) -> Int32 {
        var weight: [Int32: Float] = [:]
        for entry in lists.neighbors(of: row) where assigned[entry.id] >= 0 { weight[assigned[entry.id], default: 0] += entry.score }
        return weight.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }?.key ?? -1
    }

    private func joinedStory(_ row: Int, members: StoryMembers, threshold: Float, window: Int64?) -> Int32? {
        var best: (story: Int32, linkage: Float)?
        var seen = Set<Int32>()
        for entry in lists.neighbors(of: row) {
            let story = members.assignments[entry.id]
            guard story >= 0, seen.insert(story).inserted, members.fitsWindow(row, story, window) else { continue }
            let rows = members.rows(of: story)
            var sum: Float = 0
            for member in rows { sum += cosine(row, member) }
            let linkage = sum / Float(rows.count)
            if linkage >= threshold, best.map({ RankOrder.precedes(linkage, story, $0.linkage, $0.story) }) ?? true { best = (story, linkage) }
        }
        return best?.story
    }

    /// Sizes recounted from the assignments; descriptions of clusters left empty are dropped.
    private func recount(_ descriptions: [IndexClusters.Description], _ assigned: [Int32]) -> [IndexClusters.Description] {
        var sizes: [Int32: Int] = [:]
        for cluster in assigned where cluster >= 0 { sizes[cluster, default: 0] += 1 }
        return descriptions.compactMap { description in
            guard let size = sizes[Int32(description.id)] else { return nil }
            var updated = description
            updated.size = size
            return updated
        }
    }
}

/// Story members by story id, and each story's date span, growing as new rows join.
private struct StoryMembers {
    private(set) var assignments: [Int32]
    private var members: [Int32: [Int]] = [:]
    private var spans: [Int32: (first: Int64, last: Int64)] = [:]
    private let dates: [Int64]
    private(set) var nextStoryID: Int32

    init(assignments: [Int32], dates: [Int64]) {
        self.assignments = assignments
        self.dates = dates
        nextStoryID = (assignments.max() ?? -1) + 1
        for (row, story) in assignments.enumerated() where story >= 0 { note(row, story) }
    }

    func rows(of story: Int32) -> [Int] { members[story] ?? [] }

    /// Whether `row`'s date keeps `story`'s dated members within `window` seconds (undated: always).
    func fitsWindow(_ row: Int, _ story: Int32, _ window: Int64?) -> Bool {
        guard let window, dates[row] != Int64.min, let span = spans[story] else { return true }
        return max(span.last, dates[row]) - min(span.first, dates[row]) <= window
    }

    mutating func add(_ row: Int, to story: Int32) {
        assignments[row] = story
        note(row, story)
        nextStoryID = max(nextStoryID, story + 1)
    }

    private mutating func note(_ row: Int, _ story: Int32) {
        members[story, default: []].append(row)
        guard dates[row] != Int64.min else { return }
        let span = spans[story] ?? (dates[row], dates[row])
        spans[story] = (min(span.first, dates[row]), max(span.last, dates[row]))
    }
}
