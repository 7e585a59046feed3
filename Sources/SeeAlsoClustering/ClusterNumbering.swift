/// Stable cluster ids: clusters numbered by size, largest first, ties by their first member in row
/// order; empty clusters come last (in their old order). The same assignments give the same ids,
/// whatever numbering the algorithm left (k-means' ids follow its seeding), so a clustering with the
/// same seed and input shows the same ids in the index, `related`, the service and the exports.
package enum ClusterNumbering {
    /// `assignments` (cluster 0..<clusterCount per row; negative: none) renumbered by size. O(n + k log k).
    package static func bySize(_ assignments: [Int32], clusterCount: Int) -> [Int32] {
        var size = [Int](repeating: 0, count: clusterCount)
        var first = [Int](repeating: Int.max, count: clusterCount)
        for (row, cluster) in assignments.enumerated() where cluster >= 0 {
            size[Int(cluster)] += 1
            first[Int(cluster)] = min(first[Int(cluster)], row)
        }
        let order = (0..<clusterCount).sorted { size[$0] != size[$1] ? size[$0] > size[$1] : (first[$0], $0) < (first[$1], $1) }
        var newID = [Int32](repeating: -1, count: clusterCount)
        for (position, cluster) in order.enumerated() { newID[cluster] = Int32(position) }
        return assignments.map { $0 >= 0 ? newID[Int($0)] : $0 }
    }
}
