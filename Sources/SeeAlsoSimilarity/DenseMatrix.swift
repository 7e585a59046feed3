/// A dense row-major Float32 matrix: row r occupies `values[r * columnCount ..< (r + 1) * columnCount]`.
///
/// Memory: 4 · rows · columns bytes.
public struct DenseMatrix: Sendable, Equatable {
    public var rowCount: Int
    public var columnCount: Int
    public var values: [Float]

    /// A zero matrix.
    public init(rowCount: Int, columnCount: Int) {
        self.rowCount = rowCount
        self.columnCount = columnCount
        values = [Float](repeating: 0, count: rowCount * columnCount)
    }

    public init(rowCount: Int, columnCount: Int, values: [Float]) {
        precondition(values.count == rowCount * columnCount, "DenseMatrix: \(values.count) values for \(rowCount)×\(columnCount)")
        self.rowCount = rowCount
        self.columnCount = columnCount
        self.values = values
    }

    @inlinable public subscript(row: Int, column: Int) -> Float {
        get { values[row * columnCount + column] }
        set { values[row * columnCount + column] = newValue }
    }

    /// Row `row` as a slice.
    public func row(_ row: Int) -> ArraySlice<Float> {
        values[row * columnCount..<(row + 1) * columnCount]
    }

    /// Scales every row to unit L2 norm (zero rows stay zero). O(rows · columns).
    public mutating func normalizeRows() {
        let columns = columnCount
        values.withUnsafeMutableBufferPointer { buffer in
            for row in 0..<rowCount {
                let base = row * columns
                var sum: Float = 0
                for index in base..<base + columns { sum += buffer[index] * buffer[index] }
                guard sum > 0 else { continue }
                let scale = 1 / sum.squareRoot()
                for index in base..<base + columns { buffer[index] *= scale }
            }
        }
    }
}
