import Foundation
import SeeAlsoSupport
import SeeAlsoVectorize

/// What a cluster (topic or story) is about: its size, top terms, representative article and date span.
///
/// Both kinds are described in the TF-IDF space, whatever representation clustered them: the centroid
/// is the mean of the members' TF-IDF rows, the top terms are its largest weights (ties: lower column),
/// and the representative is the member with the highest cosine to that centroid (ties: lower row).
/// Cost: O(nnz of the members) per cluster plus O(touched terms · log) for the top terms; clusters are
/// described in parallel, each worker with one V-float scratch.
package struct ClusterDescription: Sendable, Equatable {
    package var id: Int
    package var size: Int
    /// (column, mean TF-IDF weight), largest first.
    package var topTerms: [(column: Int, weight: Float)]
    /// Row of the member nearest the centroid (−1 for an empty cluster).
    package var representative: Int
    /// Earliest and latest member date (seconds since 1970), nil when no member is dated.
    package var firstDate: Int64?
    package var lastDate: Int64?

    package static func == (lhs: ClusterDescription, rhs: ClusterDescription) -> Bool {
        lhs.id == rhs.id && lhs.size == rhs.size && lhs.representative == rhs.representative
            && lhs.firstDate == rhs.firstDate && lhs.lastDate == rhs.lastDate
            && lhs.topTerms.map(\.column) == rhs.topTerms.map(\.column)
            && lhs.topTerms.map(\.weight) == rhs.topTerms.map(\.weight)
    }

    /// Describes clusters 0..<clusterCount of `assignments` (negative = none), or only `only` of them.
    package static func describe(assignments: [Int32], clusterCount: Int, rows: CSRMatrix, dates: [Int64?],
                                topTermCount: Int = 8, only: [Int]? = nil) -> [ClusterDescription] {
        precondition(assignments.count == rows.rowCount && dates.count == rows.rowCount,
                     "ClusterDescription: assignments, rows and dates disagree")
        let k = clusterCount
        var starts = [Int](repeating: 0, count: k + 1)
        for cluster in assignments where cluster >= 0 { starts[Int(cluster) + 1] += 1 }
        for cluster in 0..<k { starts[cluster + 1] += starts[cluster] }
        var members = [Int](repeating: 0, count: starts[k])
        var cursor = Array(starts.dropLast())
        for (row, cluster) in assignments.enumerated() where cluster >= 0 {
            members[cursor[Int(cluster)]] = row
            cursor[Int(cluster)] += 1
        }
        let targets = only ?? Array(0..<k)
        let (memberList, offsets) = (members, starts)
        let output = Locked([ClusterDescription?](repeating: nil, count: targets.count))
        Parallelism.forEachRange(targets.count) { range, _ in
            var scratch = [Float](repeating: 0, count: rows.columnCount)
            var touched: [Int32] = []
            var local: [(Int, ClusterDescription)] = []
            for position in range {
                let cluster = targets[position]
                let list = memberList[offsets[cluster]..<offsets[cluster + 1]]
                touched.removeAll(keepingCapacity: true)
                var first: Int64? = nil, last: Int64? = nil
                for row in list {
                    for entry in rows.rowStarts[row]..<rows.rowStarts[row + 1] {
                        let column = Int(rows.columns[entry])
                        if scratch[column] == 0 { touched.append(Int32(column)) }
                        scratch[column] += rows.values[entry]
                        if scratch[column] == 0 { scratch[column] = .leastNonzeroMagnitude }
                    }
                    if let date = dates[row] {
                        first = min(first ?? date, date)
                        last = max(last ?? date, date)
                    }
                }
                let count = Float(max(1, list.count))
                let top = touched.sorted { (scratch[Int($0)], -$0) > (scratch[Int($1)], -$1) }.prefix(topTermCount)
                    .map { (column: Int($0), weight: scratch[Int($0)] / count) }
                var representative = -1
                var bestScore = -Float.infinity
                for row in list {
                    var score: Float = 0
                    for entry in rows.rowStarts[row]..<rows.rowStarts[row + 1] {
                        score += rows.values[entry] * scratch[Int(rows.columns[entry])]
                    }
                    if score > bestScore {
                        bestScore = score
                        representative = row
                    }
                }
                for column in touched { scratch[Int(column)] = 0 }
                local.append((position, ClusterDescription(id: cluster, size: list.count, topTerms: Array(top),
                                                           representative: representative, firstDate: first, lastDate: last)))
            }
            output.withLock { all in for (position, description) in local { all[position] = description } }
        }
        return output.value.map { $0! }
    }
}
