import Foundation

/// Agreement of a clustering with gold classes: NMI, ARI, homogeneity / completeness / V-measure,
/// purity and B-cubed precision / recall / F1.
///
/// All figures come from the contingency table n[c][k] (items of gold class c in cluster k) with
/// N items, class sizes a_c and cluster sizes b_k. Items whose gold class or cluster is missing
/// (nil / negative cluster) are left out. Conventions follow scikit-learn 1.x (`sklearn.metrics`):
///
/// - entropy H(C) = −Σ (a_c/N)·ln(a_c/N) (natural logarithm);
/// - mutual information I = Σ (n_ck/N)·ln(N·n_ck / (a_c·b_k)), 0 when either side has one group,
///   terms smaller than Float64 ε dropped and the sum clipped at 0;
/// - NMI = I / ((H(C) + H(K)) / 2) (the "arithmetic" normalisation, scikit-learn's default), 1 when
///   both sides have a single group (or no items), 0 when I = 0;
/// - ARI (Hubert & Arabie 1985) from the pair-confusion counts: with TP pairs together in both, FP
///   together only in the clustering, FN together only in the gold and TN apart in both,
///   ARI = 2·(TP·TN − FN·FP) / ((TP + FN)·(FN + TN) + (TP + FP)·(FP + TN)), 1 when FN = FP = 0;
/// - homogeneity h = I / H(C) (1 when H(C) = 0), completeness c = I / H(K) (1 when H(K) = 0),
///   V-measure = 2·h·c / (h + c) (0 when h + c = 0) (Rosenberg & Hirschberg 2007);
/// - purity = Σ_k max_c n_ck / N;
/// - B-cubed (Bagga & Baldwin 1998; Amigó et al. 2009): per item i, precision_i = |cluster(i) ∩
///   class(i)| / |cluster(i)| and recall_i = |cluster(i) ∩ class(i)| / |class(i)|, averaged over
///   items: P = Σ_ck n_ck² / b_k / N, R = Σ_ck n_ck² / a_c / N, F1 = 2PR / (P + R).
///
/// Cost: O(N) to build the table (hashing labels) plus O(nonzero cells).
public struct ClusterMetrics: Sendable, Codable, Equatable {
    /// Items scored (with both a gold class and a cluster).
    public var items: Int
    public var classes: Int
    public var clusters: Int
    public var normalizedMutualInformation: Double
    public var adjustedRandIndex: Double
    public var homogeneity: Double
    public var completeness: Double
    public var vMeasure: Double
    public var purity: Double
    public var bcubedPrecision: Double
    public var bcubedRecall: Double
    public var bcubedF1: Double

    enum CodingKeys: String, CodingKey {
        case normalizedMutualInformation, adjustedRandIndex, homogeneity, completeness, vMeasure, purity, bcubedPrecision, bcubedRecall,
             bcubedF1
        case items = "itemCount", classes = "classCount", clusters = "clusterCount"
    }

    /// Scores `assignments` (cluster per item; negative = none) against `gold` (class per item; nil = none).
    package static func evaluate<Gold: Hashable>(gold: [Gold?], assignments predicted: [Int32]) -> ClusterMetrics {
        precondition(gold.count == predicted.count, "ClusterMetrics: \(gold.count) gold labels for \(predicted.count) assignments")
        var goldPairs: [(Gold, Int)] = []
        goldPairs.reserveCapacity(gold.count)
        for (item, label) in gold.enumerated() {
            guard let label, predicted[item] >= 0 else { continue }
            goldPairs.append((label, Int(predicted[item])))
        }
        return ContingencyTable(goldPairs.map(\.0), goldPairs.map(\.1)).metrics()
    }

    /// Scores two complete labelings of the same items (any hashable labels).
    package static func evaluate<A: Hashable, B: Hashable>(gold: [A], predicted: [B]) -> ClusterMetrics {
        precondition(gold.count == predicted.count, "ClusterMetrics: \(gold.count) gold labels for \(predicted.count) predictions")
        return ContingencyTable(gold, predicted).metrics()
    }
}

/// The sparse contingency table of two labelings.
struct ContingencyTable {
    /// Items.
    let total: Int
    /// a_c, the gold class sizes.
    let classSizes: [Int]
    /// b_k, the cluster sizes.
    let clusterSizes: [Int]
    /// Non-zero cells (class index, cluster index, count), in no particular order.
    let cells: [(row: Int, column: Int, count: Int)]

    init<A: Hashable, B: Hashable>(_ gold: [A], _ predicted: [B]) {
        var classIndex: [A: Int] = [:], clusterIndex: [B: Int] = [:]
        var classSizes: [Int] = [], clusterSizes: [Int] = []
        var counts: [Int: Int] = [:]
        var rows: [Int] = [], columns: [Int] = []
        for (label, cluster) in zip(gold, predicted) {
            let row: Int
            if let known = classIndex[label] { row = known } else {
                row = classSizes.count
                classIndex[label] = row
                classSizes.append(0)
            }
            let column: Int
            if let known = clusterIndex[cluster] { column = known } else {
                column = clusterSizes.count
                clusterIndex[cluster] = column
                clusterSizes.append(0)
            }
            classSizes[row] += 1
            clusterSizes[column] += 1
            rows.append(row)
            columns.append(column)
        }
        let width = max(1, clusterSizes.count)
        for (row, column) in zip(rows, columns) { counts[row * width + column, default: 0] += 1 }
        total = rows.count
        self.classSizes = classSizes
        self.clusterSizes = clusterSizes
        cells = counts.keys.sorted().map { (row: $0 / width, column: $0 % width, count: counts[$0]!) }
    }

    static func entropy(_ sizes: [Int]) -> Double {
        let total = Double(sizes.reduce(0, +))
        guard total > 0 else { return 1 }   // scikit-learn: entropy of no labels is 1
        var sum = 0.0
        for size in sizes where size > 0 {
            let p = Double(size) / total
            sum -= p * (log(Double(size)) - log(total))
        }
        return sum
    }

    /// Mutual information in nats, scikit-learn's formula and rounding rules.
    func mutualInformation() -> Double {
        guard classSizes.count > 1, clusterSizes.count > 1 else { return 0 }
        let n = Double(total)
        let logN = log(n)
        var sum = 0.0
        for cell in cells {
            let value = Double(cell.count)
            let share = value / n
            let outer = Double(classSizes[cell.row]) * Double(clusterSizes[cell.column])
            let term = share * (log(value) - logN) + share * (-log(outer) + logN + logN)
            if abs(term) >= Double.ulpOfOne { sum += term }
        }
        return max(0, sum)
    }

    func metrics() -> ClusterMetrics {
        let n = Double(total)
        let hC = Self.entropy(classSizes), hK = Self.entropy(clusterSizes)
        let mi = total == 0 ? 0 : mutualInformation()

        let nmi: Double
        if classSizes.count == clusterSizes.count && classSizes.count <= 1 {
            nmi = 1
        } else if mi == 0 {
            nmi = 0
        } else {
            nmi = mi / ((hC + hK) / 2)
        }

        let homogeneity = total == 0 ? 1 : (hC == 0 ? 1 : mi / hC)
        let completeness = total == 0 ? 1 : (hK == 0 ? 1 : mi / hK)
        let v = homogeneity + completeness == 0 ? 0 : 2 * homogeneity * completeness / (homogeneity + completeness)

        // Pair confusion (ordered pairs, as scikit-learn's pair_confusion_matrix), in Double.
        var sumSquares = 0.0, classCross = 0.0, clusterCross = 0.0
        var bcubedPrecision = 0.0, bcubedRecall = 0.0
        var largestInCluster = [Int](repeating: 0, count: clusterSizes.count)
        for cell in cells {
            let value = Double(cell.count)
            sumSquares += value * value
            clusterCross += value * Double(clusterSizes[cell.column])
            classCross += value * Double(classSizes[cell.row])
            bcubedPrecision += value * value / Double(clusterSizes[cell.column])
            bcubedRecall += value * value / Double(classSizes[cell.row])
            largestInCluster[cell.column] = max(largestInCluster[cell.column], cell.count)
        }
        let tp = sumSquares - n
        let fp = clusterCross - sumSquares
        let fn = classCross - sumSquares
        let tn = n * n - fp - fn - sumSquares
        let ari: Double
        if fn == 0 && fp == 0 {
            ari = 1
        } else {
            ari = 2 * (tp * tn - fn * fp) / ((tp + fn) * (fn + tn) + (tp + fp) * (fp + tn))
        }
        let purity = total == 0 ? 1 : Double(largestInCluster.reduce(0, +)) / n
        let precision = total == 0 ? 1 : bcubedPrecision / n
        let recall = total == 0 ? 1 : bcubedRecall / n
        let f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall)
        return ClusterMetrics(
            items: total, classes: classSizes.count, clusters: clusterSizes.count,
            normalizedMutualInformation: nmi, adjustedRandIndex: ari, homogeneity: homogeneity,
            completeness: completeness, vMeasure: v, purity: purity,
            bcubedPrecision: precision, bcubedRecall: recall, bcubedF1: f1)
    }
}
