import Foundation
import SeeAlsoText

/// A fitted TF-IDF model: configuration, vocabulary (column order) and idf, enough to vectorize new text
/// into the same space.
///
/// The vocabulary is sorted by UTF-8 bytes (= Unicode code point order, as Python sorts `str`), so
/// columns match scikit-learn's `get_feature_names_out()`.
package struct TfidfModel: Sendable {
    package let configuration: TfidfConfiguration
    package let vocabulary: [String]
    /// idf per column (all 1 when `useIDF` is off).
    package let idf: [Double]
    /// Number of documents the model was fitted on (n in the idf formula).
    package let documentCount: Int
    let columnOfTerm: TermDictionary

    package init(configuration: TfidfConfiguration, vocabulary: [String], idf: [Double], documentCount: Int) {
        precondition(vocabulary.count == idf.count, "TfidfModel: vocabulary and idf differ in length")
        self.configuration = configuration
        self.vocabulary = vocabulary
        self.idf = idf
        self.documentCount = documentCount
        var dictionary = TermDictionary(expectedCount: vocabulary.count)
        for term in vocabulary { _ = dictionary.insert(term) }
        columnOfTerm = dictionary
    }

    /// The column of `term`, or nil when it is not in the vocabulary.
    package func column(of term: String) -> Int? { columnOfTerm.find(term).map(Int.init) }

    /// idf(t) for a term of document frequency `df` among `n` documents (see `TfidfConfiguration`).
    static func idf(documentFrequency df: Int, documents n: Int, configuration: TfidfConfiguration) -> Double {
        guard configuration.useIDF else { return 1 }
        if configuration.smoothIDF { return log(Double(1 + n) / Double(1 + df)) + 1 }
        return log(Double(n) / Double(df)) + 1
    }
}

/// Applies tf transform, idf and row normalization to one row, in place.
struct RowWeighting: Sendable {
    let idf: [Double]
    let sublinearTF: Bool
    let binary: Bool
    let norm: RowNorm

    /// 1 + ln(t) for t = 0 ..< 256 (index 0 unused: absent terms are never weighed).
    static let sublinearTable: [Double] = (0..<256).map { $0 == 0 ? 0 : 1 + log(Double($0)) }

    init(model: TfidfModel) {
        idf = model.idf
        sublinearTF = model.configuration.sublinearTF
        binary = model.configuration.binary
        norm = model.configuration.norm
    }

    /// `columns` and `counts` hold one row's distinct columns and their raw tf. Sorts the row by
    /// column and replaces each count by its normalized TF-IDF weight. O(k log k) for k entries.
    func weigh(columns: UnsafeMutableBufferPointer<Int32>, counts: UnsafeMutableBufferPointer<Float>, scratch: inout [Double]) {
        let count = columns.count
        guard count > 0 else { return }
        sortByColumn(columns: columns, values: counts)
        scratch.removeAll(keepingCapacity: true)
        var total: Double = 0
        for index in 0..<count {
            var tf = binary ? 1 : Double(counts[index])
            if sublinearTF {
                // Most tf values are small integers: read 1 + ln(tf) from a table.
                let whole = Int(tf)
                tf = Double(whole) == tf && whole < RowWeighting.sublinearTable.count ? RowWeighting.sublinearTable[whole] : 1 + log(tf)
            }
            let weight = tf * idf[Int(columns[index])]
            scratch.append(weight)
            switch norm {
            case .l2: total += weight * weight
            case .l1: total += abs(weight)
            case .none: break
            }
        }
        let scale: Double
        switch norm {
        case .l2: scale = total > 0 ? 1 / total.squareRoot() : 1
        case .l1: scale = total > 0 ? 1 / total : 1
        case .none: scale = 1
        }
        for index in 0..<count { counts[index] = Float(scratch[index] * scale) }
    }
}

/// Sorts parallel arrays by column (columns are distinct, non-negative within a row): insertion sort
/// for short rows; longer rows pack (column, value bits) into UInt64 keys and sort them by a
/// least-significant-digit radix sort on the column's bytes (256 buckets per pass, passes whose byte
/// is the same in every key skipped): O(row length + 256) per pass, no data-dependent branches.
/// Hand-written because this runs on every row of every build: Swift's generic sort cost several
/// times more, and the radix sort measured faster than the quicksort it replaced (Benchmarks/RESULTS.md).
func sortByColumn(columns: UnsafeMutableBufferPointer<Int32>, values: UnsafeMutableBufferPointer<Float>) {
    let count = columns.count
    if count <= 32 {
        for index in 1..<max(1, count) {
            let column = columns[index]
            let value = values[index]
            var target = index
            while target > 0 && columns[target - 1] > column {
                columns[target] = columns[target - 1]
                values[target] = values[target - 1]
                target -= 1
            }
            columns[target] = column
            values[target] = value
        }
        return
    }
    let keys = UnsafeMutablePointer<UInt64>.allocate(capacity: 2 * count)
    defer { keys.deallocate() }
    var source = keys
    var target = keys + count
    var largest: Int32 = 0
    for index in 0..<count {
        source[index] = UInt64(UInt32(columns[index])) << 32 | UInt64(values[index].bitPattern)
        largest = max(largest, columns[index])
    }
    withUnsafeTemporaryAllocation(of: Int.self, capacity: 256) { buckets in
        var shift: UInt64 = 32
        while shift < 64 && largest >> (shift - 32) != 0 {
            buckets.initialize(repeating: 0)
            for index in 0..<count { buckets[Int(truncatingIfNeeded: source[index] >> shift) & 0xFF] += 1 }
            if buckets.contains(count) {
                shift += 8
                continue
            }
            var position = 0
            for digit in 0..<256 {
                let size = buckets[digit]
                buckets[digit] = position
                position += size
            }
            for index in 0..<count {
                let key = source[index]
                let digit = Int(truncatingIfNeeded: key >> shift) & 0xFF
                target[buckets[digit]] = key
                buckets[digit] += 1
            }
            swap(&source, &target)
            shift += 8
        }
    }
    for index in 0..<count {
        columns[index] = Int32(truncatingIfNeeded: source[index] >> 32)
        values[index] = Float(bitPattern: UInt32(truncatingIfNeeded: source[index]))
    }
}
