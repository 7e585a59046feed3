/// A set of row numbers in 0..<capacity as a bit set: O(1) membership, 1 bit per row.
package struct RowSet: Sendable, Equatable {
    private var words: [UInt64] = []
    /// How many rows are in the set.
    package private(set) var count = 0

    package init() {}

    package init(_ rows: some Sequence<Int>) {
        for row in rows { insert(row) }
    }

    package var isEmpty: Bool { count == 0 }

    package func contains(_ row: Int) -> Bool {
        let word = row >> 6
        return row >= 0 && word < words.count && words[word] & (1 << UInt64(row & 63)) != 0
    }

    /// Inserts `row` (≥ 0); returns false when it was already there.
    @discardableResult
    package mutating func insert(_ row: Int) -> Bool {
        precondition(row >= 0, "RowSet: negative row \(row)")
        let word = row >> 6
        if word >= words.count { words.append(contentsOf: repeatElement(0, count: word + 1 - words.count)) }
        let bit: UInt64 = 1 << UInt64(row & 63)
        guard words[word] & bit == 0 else { return false }
        words[word] |= bit
        count += 1
        return true
    }

    /// The rows in increasing order.
    package var sorted: [Int] {
        var rows: [Int] = []
        rows.reserveCapacity(count)
        for (index, word) in words.enumerated() where word != 0 {
            var bits = word
            while bits != 0 {
                rows.append(index << 6 + bits.trailingZeroBitCount)
                bits &= bits - 1
            }
        }
        return rows
    }

    package static func == (a: RowSet, b: RowSet) -> Bool { a.sorted == b.sorted }
}
