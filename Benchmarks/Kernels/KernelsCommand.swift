import ArgumentParser
import Foundation
import SeeAlso
import SeeAlsoBLAS
import SeeAlsoSimilarity
import SeeAlsoSupport

/// Kernel benchmarks against the machine's limits, run by `Benchmarks/run` beside the peers: SeeAlso's
/// dense all-pairs kernel on given vectors against a bare tiled sgemm of the same FLOPs, and OpenBLAS's
/// sgemm rates for SeeAlso's tile shapes. Not part of the `seealso` tool: users time their archives
/// with `seealso bench --input`.
@main
struct KernelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seealso-kernels",
        abstract: "Time SeeAlso's dense all-pairs kernel on given vectors, or the machine's sgemm limits.",
        discussion: """
            One mode per call, each printing one JSON object on standard output:

            --dense-vectors FILE --dimension D: reads raw little-endian float32 rows (n × D, row-major), \
            L2-normalises them and times DenseAllPairs.allPairs (top --k, self excluded), then a bare sgemm \
            loop over the same tiles (same shapes, same workers, one reused buffer per worker, no selection): \
            the GEMM ceiling for the same FLOPs. --lists-out writes the neighbour ids as int32 (n × k).

            --limits: OpenBLAS sgemm GFLOP/s for the tile shapes SeeAlso uses (256 × 4096 × d for each \
            --limit-dimensions d): one thread, every worker at once with one BLAS thread each (SeeAlso's \
            mode), and one caller with OpenBLAS using every core; plus a 2048³ sgemm for reference.

            --html-bodies FILE: the HTML cleaner on one core over the bodies of a JSON Lines archive (best of \
            --repeats): HTMLText.clean MB/s of HTML, and the markup test's MB/s on the HTML and on the cleaned text.

            --count-texts FILE: tokenizing and counting on one core (the vectorizer's per-worker kernel, \
            scikit-learn's analyzer settings) over the articles of an archive read into memory first, \
            --repeats times (the median is reported): MB/s of title + "\\n" + body text.
            """)

    @Option(help: "Raw little-endian float32 vectors, n × --dimension, row-major.")
    var denseVectors: String?

    @Option(help: "--dense-vectors: the vectors' dimension.")
    var dimension: Int?

    @Option(help: "--dense-vectors: neighbours per vector.")
    var k = 10

    @Option(help: "--dense-vectors: timed repetitions (the median is reported).")
    var repeats = 1

    @Option(help: "--dense-vectors: write the neighbour ids (int32, n × k, −1 = none) to this file.")
    var listsOut: String?

    @Flag(help: "Measure the machine's sgemm rates for SeeAlso's tile shapes.")
    var limits = false

    @Option(help: "Time the HTML cleaner on the bodies of this JSON Lines archive.")
    var htmlBodies: String?

    @Option(help: "Time tokenizing and counting on the articles of this archive.")
    var countTexts: String?

    @Option(help: "--limits: comma-separated inner dimensions d of the 256 × 4096 × d tiles.")
    var limitDimensions = "128,256"

    @Option(help: "--limits: seconds spent on each measurement.")
    var limitSeconds = 0.5

    @Option(help: "Worker threads (default: all cores, or SEEALSO_THREADS).")
    var threads: Int?

    @Flag(help: "Accepted for symmetry with seealso; this tool prints no progress.")
    var quiet = false

    func validate() throws {
        guard [denseVectors != nil, limits, htmlBodies != nil, countTexts != nil].filter({ $0 }).count == 1 else {
            throw ValidationError("give exactly one of --dense-vectors, --limits, --html-bodies and --count-texts")
        }
        guard k >= 1 else { throw ValidationError("--k must be at least 1") }
        guard repeats >= 1 else { throw ValidationError("--repeats must be at least 1") }
        if denseVectors != nil {
            guard let dimension, dimension >= 1 else { throw ValidationError("--dense-vectors needs --dimension D (D ≥ 1)") }
        }
        if limits {
            guard limitSeconds > 0 else { throw ValidationError("--limit-seconds must be positive") }
            guard !parsedLimitDimensions.isEmpty else { throw ValidationError("--limit-dimensions: give positive integers, e.g. 128,256") }
        }
    }

    private var parsedLimitDimensions: [Int] {
        let values = limitDimensions.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        return values.contains(where: { ($0 ?? 0) < 1 }) ? [] : values.compactMap { $0 }
    }

    func run() throws {
        if let threads { Parallelism.setWorkerCount(threads) }
        if let denseVectors, let dimension {
            print(JSONLine.encode(try benchDense(denseVectors, dimension: dimension)))
        } else if let htmlBodies {
            print(JSONLine.encode(try benchHTML(htmlBodies)))
        } else if let countTexts {
            print(JSONLine.encode(try benchCounting(countTexts)))
        } else {
            print(JSONLine.encode(benchLimits()))
        }
    }

    private func benchDense(_ path: String, dimension d: Int) throws -> DenseReport {
        var clock = Stopwatch()
        let data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        guard data.count % (4 * d) == 0, data.count > 0 else {
            throw ValidationError("\(path): \(data.count) bytes is not a whole number of \(d)-dimensional float32 rows")
        }
        let n = data.count / (4 * d)
        var values = [Float](repeating: 0, count: n * d)
        values.withUnsafeMutableBytes { target in data.withUnsafeBytes { target.copyMemory(from: $0) } }
        let readSeconds = clock.seconds
        clock = Stopwatch()
        var vectors = DenseMatrix(rowCount: n, columnCount: d, values: values)
        values = []
        vectors.normalizeRows()
        let normalizeSeconds = clock.seconds

        let layout = DenseAllPairs.defaultLayout
        let schedule = TiledSearch.SymmetricSchedule(count: n, layout: layout)
        let flops = (0..<schedule.tileCount).reduce(0.0) { total, tile in
            schedule.columnBlocks(ofTile: tile).reduce(total) {
                $0 + 2 * Double(schedule.rows(ofTile: tile).count) * Double($1.count) * Double(d)
            }
        }

        var runs: [Double] = []
        var lists = NeighborLists(rowCount: 0, k: k, ids: [], scores: [])
        for _ in 0..<repeats {
            let watch = Stopwatch()
            lists = DenseAllPairs.allPairs(vectors, k: k)
            runs.append(watch.seconds)
        }
        let afterAllPairs = ResourceUsage.peakResidentBytes() ?? 0

        var gemmRuns: [Double] = []
        for _ in 0..<repeats {
            gemmRuns.append(bareTiledSgemm(vectors, schedule: schedule))
        }

        if let listsOut { try writeIds(lists, to: listsOut) }
        let seconds = median(runs)
        let gemmSeconds = median(gemmRuns)
        return DenseReport(
            vectors: path, rows: n, dimension: d, k: k, workers: Parallelism.workerCount, rowTile: layout.rowTile,
            columnBlock: layout.columnBlock, readSeconds: readSeconds, normalizeSeconds: normalizeSeconds,
            allPairsSeconds: seconds, allPairsRuns: runs, flops: flops, allPairsGflops: flops / seconds / 1e9,
            sgemmSeconds: gemmSeconds, sgemmRuns: gemmRuns, sgemmGflops: flops / gemmSeconds / 1e9,
            fractionOfSgemm: gemmSeconds / seconds, fullSearchFlops: 2 * Double(n) * Double(n) * Double(d),
            peakResidentBytesAfterAllPairs: afterAllPairs,
            peakResidentBytes: ResourceUsage.peakResidentBytes() ?? 0, cpuSeconds: ResourceUsage.cpuSeconds())
    }

    private func writeIds(_ lists: NeighborLists, to path: String) throws {
        let bytes = lists.ids.withUnsafeBufferPointer { Data(buffer: $0) }
        guard FileManager.default.createFile(atPath: path, contents: bytes) else { throw ValidationError("cannot write \(path)") }
    }

    /// Runs sgemm over the tiles of `schedule` (those `DenseAllPairs.allPairs` multiplies) on every worker,
    /// one BLAS thread each and one reused buffer per worker, a row tile at a time as the search schedules
    /// them. Returns the wall seconds.
    private func bareTiledSgemm(_ vectors: DenseMatrix, schedule: TiledSearch.SymmetricSchedule) -> Double {
        let d = vectors.columnCount
        let workers = Parallelism.workerCount
        let buffers = (0..<workers).map { _ in ScoreBuffer(count: schedule.rowTile * schedule.blockWidth) }
        let sink = Locked(Float(0))
        let watch = Stopwatch()
        vectors.values.withUnsafeBufferPointer { values in
            let base = SharedPointer(values.baseAddress!)
            Parallelism.forEachDynamic(schedule.tileCount, workers: workers) { tile, worker in
                let buffer = buffers[worker].pointer
                let rows = schedule.rows(ofTile: tile)
                for columns in schedule.columnBlocks(ofTile: tile) {
                    BLAS.sgemm(transposeB: true, m: rows.count, n: columns.count, k: d,
                               a: base.base + rows.lowerBound * d, lda: d, b: base.base + columns.lowerBound * d, ldb: d,
                               c: buffer, ldc: columns.count)
                }
                let first = buffer[0]
                sink.withLock { $0 += first }
            }
        }
        let seconds = watch.seconds
        if sink.value.isNaN { FileHandle.standardError.write(Data("seealso-kernels: NaN in the sgemm output\n".utf8)) }
        return seconds
    }

    // MARK: - Machine limits

    private func benchLimits() -> LimitsReport {
        let workers = Parallelism.workerCount
        var figures: [GemmFigure] = []
        for d in parsedLimitDimensions {
            let (m, n) = (DenseAllPairs.defaultLayout.rowTile, DenseAllPairs.defaultLayout.columnBlock)
            // A database of 64k rows, cycled through, so B streams from memory as in a real search.
            let databaseRows = max(n, 65_536)
            let database = randomValues(databaseRows * d, seed: UInt64(d))
            figures.append(gemmRate(m: m, n: n, k: d, database: database, databaseRows: databaseRows, callers: 1, blasThreads: 1,
                                    mode: "1 thread"))
            if workers > 1 {
                figures.append(gemmRate(m: m, n: n, k: d, database: database, databaseRows: databaseRows, callers: workers,
                                        blasThreads: 1, mode: "\(workers) workers × 1 BLAS thread (SeeAlso's mode)"))
                figures.append(gemmRate(m: m, n: n, k: d, database: database, databaseRows: databaseRows, callers: 1,
                                        blasThreads: workers, mode: "1 caller × \(workers) BLAS threads"))
            }
        }
        let size = 2048
        let square = randomValues(size * size, seed: 99)
        figures.append(gemmRate(m: size, n: size, k: size, database: square, databaseRows: size, callers: 1, blasThreads: 1,
                                mode: "1 thread", square: true))
        if workers > 1 {
            figures.append(gemmRate(m: size, n: size, k: size, database: square, databaseRows: size, callers: 1,
                                    blasThreads: workers, mode: "1 caller × \(workers) BLAS threads", square: true))
        }
        BLAS.setThreads(1)
        return LimitsReport(blasCore: BLAS.coreName, workers: workers, sgemm: figures,
                            peakResidentBytes: ResourceUsage.peakResidentBytes() ?? 0)
    }

    /// GFLOP/s of C(m×n) = A(m×k)·B(n×k)ᵀ, A and B taken from consecutive rows of `database`
    /// (wrapping), C one reused buffer per caller; each caller repeats the call for about `limitSeconds`.
    private func gemmRate(m: Int, n: Int, k: Int, database: [Float], databaseRows: Int, callers: Int, blasThreads: Int,
                          mode: String, square: Bool = false) -> GemmFigure {
        BLAS.setThreads(blasThreads)
        let buffers = (0..<callers).map { _ in ScoreBuffer(count: m * n) }
        let blocks = max(1, databaseRows / n)
        let tiles = max(1, databaseRows / m)
        let flopsPerCall = 2 * Double(m) * Double(n) * Double(k)
        return database.withUnsafeBufferPointer { values in
            let base = SharedPointer(values.baseAddress!)
            @Sendable func call(_ index: Int, _ buffer: UnsafeMutablePointer<Float>) {
                let a = square ? base.base : base.base + ((index * 7) % tiles) * m * k
                let b = square ? base.base : base.base + (index % blocks) * n * k
                BLAS.sgemm(transposeB: true, m: m, n: n, k: k, a: a, lda: k, b: b, ldb: k, c: buffer, ldc: n)
            }
            call(0, buffers[0].pointer)
            let probe = Stopwatch()
            call(1, buffers[0].pointer)
            let perCall = max(probe.seconds, 1e-6)
            let calls = max(2, Int(limitSeconds / perCall))
            let watch = Stopwatch()
            Parallelism.forEachDynamic(callers, workers: callers) { caller, _ in
                for index in 0..<calls { call(caller * calls + index, buffers[caller].pointer) }
            }
            let seconds = watch.seconds
            let total = Double(callers * calls) * flopsPerCall
            return GemmFigure(m: m, n: n, k: k, mode: mode, callers: callers, blasThreads: blasThreads, calls: callers * calls,
                              seconds: seconds, gflops: total / seconds / 1e9)
        }
    }

    /// Uniform values in [−1, 1) from a seeded generator.
    private func randomValues(_ count: Int, seed: UInt64) -> [Float] {
        var random = SplitMix64(seed: seed)
        return (0..<count).map { _ in Float(2 * random.nextOpenUnit() - 1) }
    }

    private func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }
}

struct DenseReport: Encodable {
    var vectors: String
    var rows: Int
    var dimension: Int
    var k: Int
    var workers: Int
    var rowTile: Int
    var columnBlock: Int
    var readSeconds: Double
    var normalizeSeconds: Double
    var allPairsSeconds: Double
    var allPairsRuns: [Double]
    /// FLOPs of the symmetric tiles (about n²·d: each pair once).
    var flops: Double
    var allPairsGflops: Double
    var sgemmSeconds: Double
    var sgemmRuns: [Double]
    var sgemmGflops: Double
    /// Bare sgemm seconds / allPairs seconds for the same FLOPs.
    var fractionOfSgemm: Double
    /// FLOPs of a full query-against-database search (2·n²·d), as FAISS's flat search does.
    var fullSearchFlops: Double
    var peakResidentBytesAfterAllPairs: Int
    var peakResidentBytes: Int
    var cpuSeconds: Double
}

struct GemmFigure: Encodable {
    var m: Int
    var n: Int
    var k: Int
    var mode: String
    var callers: Int
    var blasThreads: Int
    var calls: Int
    var seconds: Double
    var gflops: Double
}

struct LimitsReport: Encodable {
    var blasCore: String
    var workers: Int
    var sgemm: [GemmFigure]
    var peakResidentBytes: Int
}
