import Foundation
import SeeAlsoSupport
import SeeAlsoText

/// Merges thread-local term ids into the final vocabulary and builds the weighted CSR matrix.
enum VocabularyMerge {
    /// The model and matrix of counted batches; the batches' terms and counts are consumed (freed as they
    /// are copied into the matrix, so the two are never held in full together).
    static func build(
        batches: inout [CountedBatch], dictionaries: [TermDictionary], configuration: TfidfConfiguration,
        timings: inout StageTimings
    ) throws -> (TfidfModel, CSRMatrix) {
        let (statistics, globalOfLocal) = merge(batches: batches, dictionaries: dictionaries, binary: configuration.binary,
                                                timings: &timings)
        let (model, columnOfGlobal) = try fitModel(statistics, configuration: configuration)
        timings.lap("prune and sort vocabulary")

        // Rows: remap to columns, drop pruned terms, sort, weigh; then copy into one CSR.
        let columnOfLocal = perWorker(globalOfLocal.count) { worker in
            globalOfLocal[worker].map { $0 >= 0 ? columnOfGlobal[Int($0)] : -1 }
        }
        let matrix = weighRows(&batches, columnOfLocal: columnOfLocal, model: model)
        timings.lap("weigh rows and assemble matrix")
        return (model, matrix)
    }

    /// Document frequency and total tf of every term that occurs in `batches`, over one dictionary, and
    /// the map from each worker's thread-local ids to its ids. O(stored entries + Σ dictionary sizes).
    static func merge(batches: [CountedBatch], dictionaries: [TermDictionary], binary: Bool,
                      timings: inout StageTimings) -> (TermStatistics, globalOfLocal: [[Int32]]) {
        let documentCount = batches.reduce(0) { $0 + $1.rowCount }
        let workerCount = dictionaries.count

        // 1. Document frequency and total tf per thread-local term (rows hold distinct terms).
        var localDF = dictionaries.map { [Int32](repeating: 0, count: $0.count) }
        var localTF = dictionaries.map { [Double](repeating: 0, count: $0.count) }
        localDF.withUnsafeMutableBufferPointer { dfs in
            localTF.withUnsafeMutableBufferPointer { tfs in
                let dfPointer = SharedMutablePointer(dfs.baseAddress!)
                let tfPointer = SharedMutablePointer(tfs.baseAddress!)
                Parallelism.forEach(workerCount) { worker in
                    dfPointer.base[worker].withUnsafeMutableBufferPointer { df in
                        tfPointer.base[worker].withUnsafeMutableBufferPointer { tf in
                            for batch in batches where batch.worker == worker {
                                for (term, count) in zip(batch.terms, batch.counts) {
                                    df[Int(term)] += 1
                                    tf[Int(term)] += binary ? 1 : Double(count)
                                }
                            }
                        }
                    }
                }
            }
        }

        timings.lap("document frequencies")

        // 2. Global ids for terms that occur in admitted documents.
        // Sized for the largest worker's vocabulary, so that the common case never grows the table.
        var global = TermDictionary(expectedCount: dictionaries.map(\.count).max() ?? 0)
        var globalDF: [Int] = []
        var globalTF: [Double] = []
        var globalOfLocal: [[Int32]] = []
        for worker in 0..<workerCount {
            var mapping = [Int32](repeating: -1, count: dictionaries[worker].count)
            for local in 0..<dictionaries[worker].count where localDF[worker][local] > 0 {
                let (id, inserted) = dictionaries[worker].withBytes(of: local) { global.insert($0) }
                if inserted { globalDF.append(0); globalTF.append(0) }
                globalDF[Int(id)] += Int(localDF[worker][local])
                globalTF[Int(id)] += localTF[worker][local]
                mapping[local] = id
            }
            globalOfLocal.append(mapping)
        }

        timings.lap("merge vocabularies")

        return (TermStatistics(terms: global, documentFrequencies: globalDF, totalFrequencies: globalTF, documentCount: documentCount),
                globalOfLocal)
    }

    /// Scikit-learn's vocabulary selection on merged statistics: terms with max_df ≥ df ≥ min_df, the
    /// `maxFeatures` of largest total tf (ties in byte order), columns in byte order, idf from df. Returns
    /// the model and each statistics term's column (−1: pruned). O(V log V) for V terms.
    package static func fitModel(_ statistics: TermStatistics, configuration: TfidfConfiguration) throws -> (TfidfModel, [Int32]) {
        let global = statistics.terms
        let globalDF = statistics.documentFrequencies
        let globalTF = statistics.totalFrequencies
        let documentCount = statistics.documentCount
        guard global.count > 0 else { throw VectorizerError.emptyVocabulary }
        // Pruning, as scikit-learn: max_df, min_df, then max_features by total tf.
        let maxDocuments = configuration.maxDF.documents(of: documentCount)
        let minDocuments = configuration.minDF.documents(of: documentCount)
        guard maxDocuments >= minDocuments else {
            throw VectorizerError.maxDFBelowMinDF(maxDocuments: maxDocuments, minDocuments: minDocuments)
        }
        var kept = (0..<global.count).filter {
            Double(globalDF[$0]) <= maxDocuments && Double(globalDF[$0]) >= minDocuments
        }
        if let limit = configuration.maxFeatures, kept.count > limit {
            kept.sort { a, b in globalTF[a] != globalTF[b] ? globalTF[a] > globalTF[b] : global.precedes(a, b) }
            kept.removeLast(kept.count - limit)
        }
        guard !kept.isEmpty else { throw VectorizerError.noTermsAfterPruning }

        // Columns in byte order of the terms (Python's code point order).
        kept = global.sortedByBytes(kept)
        var columnOfGlobal = [Int32](repeating: -1, count: global.count)
        for (column, id) in kept.enumerated() { columnOfGlobal[id] = Int32(column) }
        let vocabulary = kept.map { global.string($0) }
        let idf = kept.map { TfidfModel.idf(documentFrequency: globalDF[$0], documents: documentCount, configuration: configuration) }
        let model = TfidfModel(configuration: configuration, vocabulary: vocabulary, idf: idf, documentCount: documentCount)
        return (model, columnOfGlobal)
    }

    /// Maps thread-local terms to a frozen model's columns and weighs the rows with its idf.
    /// Returns the matrix and the share of term occurrences (by raw tf) the vocabulary lacks. Consumes the
    /// batches' terms and counts as `build` does.
    static func transform(batches: inout [CountedBatch], dictionaries: [TermDictionary], model: TfidfModel) -> (CSRMatrix, Double) {
        let columnOfLocal = perWorker(dictionaries.count) { worker in
            (0..<dictionaries[worker].count).map { local in dictionaries[worker].withBytes(of: local) { model.columnOfTerm.find($0) ?? -1 } }
        }
        var known = 0.0
        var total = 0.0
        for batch in batches {
            let mapping = columnOfLocal[batch.worker]
            for (term, count) in zip(batch.terms, batch.counts) {
                total += Double(count)
                if mapping[Int(term)] >= 0 { known += Double(count) }
            }
        }
        let matrix = weighRows(&batches, columnOfLocal: columnOfLocal, model: model)
        return (matrix, total > 0 ? 1 - known / total : 0)
    }

    /// `map(worker)` for every worker's dictionary, on its own thread each: the thread-local id maps
    /// are O(Σ dictionary sizes), which grows with the worker count, so they must not run serially.
    private static func perWorker(_ workerCount: Int, _ map: @Sendable (Int) -> [Int32]) -> [[Int32]] {
        var maps = [[Int32]](repeating: [], count: workerCount)
        maps.withUnsafeMutableBufferPointer { all in
            let pointer = SharedMutablePointer(all.baseAddress!)
            Parallelism.forEach(workerCount) { worker in pointer.base[worker] = map(worker) }
        }
        return maps
    }

    /// Remaps each batch's thread-local terms to the model's columns (−1: dropped), sorts and weighs
    /// the rows in parallel, in place (the caller holds the only reference, so nothing is copied), then
    /// moves them into one CSR matrix.
    private static func weighRows(_ batches: inout [CountedBatch], columnOfLocal: [[Int32]], model: TfidfModel) -> CSRMatrix {
        let weighting = RowWeighting(model: model)
        batches.withUnsafeMutableBufferPointer { all in
            let pointer = SharedMutablePointer(all.baseAddress!)
            Parallelism.forEach(all.count) { index in
                remapRows(&pointer.base[index], columnOfLocal: columnOfLocal[pointer.base[index].worker], weighting: weighting)
            }
        }
        return assemble(&batches, columnCount: model.vocabulary.count)
    }

    /// Concatenates remapped batches into one CSR matrix: a parallel copy in eight rounds, each batch's
    /// terms and counts freed once copied and the freed memory returned to the system after each round,
    /// so the peak is about the matrix plus an eighth of it rather than twice the matrix.
    static func assemble(_ batches: inout [CountedBatch], columnCount: Int) -> CSRMatrix {
        let documentCount = batches.reduce(0) { $0 + $1.rowCount }
        var rowStarts = [Int](repeating: 0, count: documentCount + 1)
        var row = 0
        var batchOffsets: [Int] = []
        for batch in batches {
            batchOffsets.append(rowStarts[row])
            for local in 0..<batch.rowCount {
                rowStarts[row + 1] = rowStarts[row] + batch.rowStarts[local + 1] - batch.rowStarts[local]
                row += 1
            }
        }
        let stored = rowStarts[documentCount]
        guard stored > 0 else {
            return CSRMatrix(rowCount: documentCount, columnCount: columnCount, rowStarts: rowStarts, columns: [], values: [])
        }
        let offsets = batchOffsets
        // Uninitialized storage: the workers' copies are the first writes, so the pages are touched in
        // parallel rather than zeroed by one thread first.
        var values: [Float] = []
        let columns = [Int32](unsafeUninitializedCapacity: stored) { columnBuffer, columnsInitialized in
            values = [Float](unsafeUninitializedCapacity: stored) { valueBuffer, valuesInitialized in
                let columnPointer = SharedMutablePointer(columnBuffer.baseAddress!)
                let valuePointer = SharedMutablePointer(valueBuffer.baseAddress!)
                batches.withUnsafeMutableBufferPointer { all in
                    let batchPointer = SharedMutablePointer(all.baseAddress!)
                    let roundSize = max(1, (all.count + 7) / 8)
                    for roundStart in stride(from: 0, to: all.count, by: roundSize) {
                        Parallelism.forEach(min(roundSize, all.count - roundStart)) { item in
                            let index = roundStart + item
                            let offset = offsets[index]
                            batchPointer.base[index].terms.withUnsafeBufferPointer { terms in
                                guard let base = terms.baseAddress else { return }
                                (columnPointer.base + offset).initialize(from: base, count: terms.count)
                            }
                            batchPointer.base[index].counts.withUnsafeBufferPointer { counts in
                                guard let base = counts.baseAddress else { return }
                                (valuePointer.base + offset).initialize(from: base, count: counts.count)
                            }
                            batchPointer.base[index].terms = []
                            batchPointer.base[index].counts = []
                        }
                        System.returnFreedMemory()
                    }
                }
                valuesInitialized = stored
            }
            columnsInitialized = stored
        }
        return CSRMatrix(rowCount: documentCount, columnCount: columnCount, rowStarts: rowStarts, columns: columns, values: values)
    }

    /// Rewrites a batch in place: thread-local ids → columns, pruned terms removed, rows weighted.
    private static func remapRows(_ batch: inout CountedBatch, columnOfLocal: [Int32], weighting: RowWeighting) {
        var scratch: [Double] = []
        var write = 0
        var newStarts = [0]
        newStarts.reserveCapacity(batch.rowStarts.count)
        batch.terms.withUnsafeMutableBufferPointer { terms in
            batch.counts.withUnsafeMutableBufferPointer { counts in
                for row in 0..<(batch.rowStarts.count - 1) {
                    let rowStart = write
                    for index in batch.rowStarts[row]..<batch.rowStarts[row + 1] {
                        let column = columnOfLocal[Int(terms[index])]
                        guard column >= 0 else { continue }
                        terms[write] = column
                        counts[write] = counts[index]
                        write += 1
                    }
                    weighting.weigh(
                        columns: UnsafeMutableBufferPointer(rebasing: terms[rowStart..<write]),
                        counts: UnsafeMutableBufferPointer(rebasing: counts[rowStart..<write]),
                        scratch: &scratch)
                    newStarts.append(write)
                }
            }
        }
        batch.terms.removeLast(batch.terms.count - write)
        batch.counts.removeLast(batch.counts.count - write)
        batch.rowStarts = newStarts
    }
}
