/// A dense row-major Float32 matrix: row r occupies `values[r * columnCount ..< (r + 1) * columnCount]`.
///
/// Memory: 4 · rows · columns bytes.
package struct DenseMatrix: Sendable, Equatable {
    package var rowCount: Int
    package var columnCount: Int
    package var values: [Float]

    /// A zero matrix.
    package init(rowCount: Int, columnCount: Int) {
        self.rowCount = rowCount
        self.columnCount = columnCount
        values = [Float](repeating: 0, count: rowCount * columnCount)
    }

    package init(rowCount: Int, columnCount: Int, values: [Float]) {
        precondition(values.count == rowCount * columnCount, "DenseMatrix: \(values.count) values for \(rowCount)×\(columnCount)")
        self.rowCount = rowCount
        self.columnCount = columnCount
        self.values = values
    }

    @inlinable package subscript(row: Int, column: Int) -> Float {
        get { values[row * columnCount + column] }
        set { values[row * columnCount + column] = newValue }
    }

    /// Row `row` as a slice.
    package func row(_ row: Int) -> ArraySlice<Float> {
        values[row * columnCount..<(row + 1) * columnCount]
    }

    /// The rows at `indices` (in that order). O(indices · columns).
    package func selectingRows(_ indices: some Collection<Int>) -> DenseMatrix {
        var result = DenseMatrix(rowCount: indices.count, columnCount: columnCount)
        let d = columnCount
        values.withUnsafeBufferPointer { source in
            result.values.withUnsafeMutableBufferPointer { target in
                for (position, row) in indices.enumerated() {
                    (target.baseAddress! + position * d).update(from: source.baseAddress! + row * d, count: d)
                }
            }
        }
        return result
    }

    /// Appends the rows of `other` (same column count), in place.
    package mutating func append(_ other: DenseMatrix) {
        precondition(other.columnCount == columnCount || other.rowCount == 0, "DenseMatrix.append: column counts differ")
        values.append(contentsOf: other.values)
        rowCount += other.rowCount
    }

    /// The columns × rows transpose. O(rows · columns).
    package func transposed() -> DenseMatrix {
        var result = DenseMatrix(rowCount: columnCount, columnCount: rowCount)
        let (k, d) = (rowCount, columnCount)
        values.withUnsafeBufferPointer { source in
            result.values.withUnsafeMutableBufferPointer { target in
                for row in 0..<k {
                    for column in 0..<d { target[column * k + row] = source[row * d + column] }
                }
            }
        }
        return result
    }

    /// Scales every row to unit L2 norm (zero rows stay zero). O(rows · columns).
    package mutating func normalizeRows() {
        let columns = columnCount
        values.withUnsafeMutableBufferPointer { buffer in
            for row in 0..<rowCount { normalize(buffer.baseAddress! + row * columns, count: columns) }
        }
    }
}

/// Scales `count` floats to unit L2 norm (a zero vector stays zero).
package func normalize(_ vector: UnsafeMutablePointer<Float>, count: Int) {
    var sum: Float = 0
    for j in 0..<count { sum += vector[j] * vector[j] }
    guard sum > 0 else { return }
    let scale = 1 / sum.squareRoot()
    for j in 0..<count { vector[j] *= scale }
}
