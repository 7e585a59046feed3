import Foundation
import SeeAlsoSimilarity
import SeeAlsoSupport

/// The partitioned method of a sharded build (an inverted file): an LSA projection and k-means
/// centroids trained on a sample of the archive's rows, broadcast to every machine. Each article is a
/// *resident* of its nearest partition and a *visitor* of its next `probes − 1`; each partition scores
/// its residents against each other and its visitors against its residents (never visitors against
/// visitors), and every score is offered to both articles. Two articles are compared when one's home
/// is among the other's probes, so recall grows with `probes` at a cost of about
/// n · (probes − ½) · partition size pairs.
package struct ShardPartitioner: Sendable {
    package var svd: RandomizedSVD
    /// Unit centroids in the reduced space, one row per partition.
    package var centroids: DenseMatrix

    /// Trains on sampled rows: LSA of rank min(`dimensions`, rows, columns), then balanced spherical
    /// k-means (`Partitions.train`, which may split large partitions into more than asked).
    package static func train(_ sample: ShardedBuild.Rows, partitions: Int, dimensions: Int, seed: UInt64) throws -> ShardPartitioner {
        let matrix = sample.matrix
        guard matrix.rowCount >= 2 else { throw ShardedBuildError("the sample holds \(matrix.rowCount) rows: at least 2 are needed") }
        let rank = min(dimensions, matrix.rowCount, matrix.columnCount)
        let svd = try RandomizedSVD.fit(matrix, rank: rank, seed: seed)
        let trained = Partitions.train(svd.project(matrix), partitions: min(partitions, matrix.rowCount), seed: seed)
        return ShardPartitioner(svd: svd, centroids: trained.centroids)
    }

    /// Lines `partition \t R|V \t row \t base64` for each of `rows`: R (resident) in its nearest
    /// partition, V (visitor) in each of its next `probes − 1`. Cost 2·nnz·d + 2·n·P·d FLOPs.
    package func writeAssignments(_ rows: ShardedBuild.Rows, probes: Int, to output: LineOutput) {
        let partitions = Partitions(centroids: centroids, partitionOfRow: [])
        let count = min(probes, partitions.count)
        let nearest = partitions.probeLists(svd.project(rows.matrix), count: count)
        let matrix = rows.matrix
        for local in 0..<matrix.rowCount {
            let range = matrix.rowStarts[local]..<matrix.rowStarts[local + 1]
            let line = ShardLines.vectorLine(row: rows.archiveRows[local], columns: matrix.columns[range], values: matrix.values[range])
            for slot in 0..<count { output.write("\(nearest[local * count + slot])\t\(slot == 0 ? "R" : "V")\t" + line) }
        }
    }

    // File: "SAPART01", then Int64 LE columns, dimensions, partitions, fitted rows; then Float32 LE
    // singular values (d), projection (columns × d), centroids (partitions × d).
    private static let magic = Array("SAPART01".utf8)

    package func save(to path: String) throws {
        var bytes = Self.magic
        let d = svd.singularValues.count
        for value in [svd.rightSingularVectors.rowCount, d, centroids.rowCount, svd.fittedRowCount] {
            withUnsafeBytes(of: Int64(value).littleEndian) { bytes.append(contentsOf: $0) }
        }
        for array in [svd.singularValues, svd.rightSingularVectors.values, centroids.values] {
            for value in array { withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) } }
        }
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else { throw ShardedBuildError("\(path): cannot write") }
    }

    package static func load(_ path: String) throws -> ShardPartitioner {
        guard let data = FileManager.default.contents(atPath: path) else { throw ShardedBuildError("\(path): cannot read") }
        let bytes = [UInt8](data)
        guard bytes.count >= magic.count + 32, Array(bytes.prefix(magic.count)) == magic else {
            throw ShardedBuildError("\(path): not a partitioner file (seealso worker train-partitions writes them)")
        }
        func integer(_ index: Int) -> Int {
            Int(Int64(littleEndian: bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: magic.count + 8 * index, as: Int64.self) }))
        }
        let (columns, d, partitions, fitted) = (integer(0), integer(1), integer(2), integer(3))
        let limit = 1 << 31
        guard (1..<limit).contains(columns), (1...4096).contains(d), (1..<limit).contains(partitions), fitted >= 0,
              bytes.count == magic.count + 32 + 4 * (d + columns * d + partitions * d) else {
            throw ShardedBuildError("\(path): damaged partitioner file (sizes do not match its length)")
        }
        var offset = magic.count + 32
        func floats(_ count: Int) throws -> [Float] {
            let values = (0..<count).map { index in
                Float(bitPattern: UInt32(littleEndian: bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset + 4 * index, as: UInt32.self) }))
            }
            offset += 4 * count
            guard values.allSatisfy(\.isFinite) else { throw ShardedBuildError("\(path): damaged partitioner file (a value is not finite)") }
            return values
        }
        let singularValues = try floats(d)
        let projection = DenseMatrix(rowCount: columns, columnCount: d, values: try floats(columns * d))
        let centroids = DenseMatrix(rowCount: partitions, columnCount: d, values: try floats(partitions * d))
        return ShardPartitioner(svd: RandomizedSVD(singularValues: singularValues, rightSingularVectors: projection, fittedRowCount: fitted),
                                centroids: centroids)
    }
}
