import Foundation
import SeeAlsoCorpus
import SeeAlsoSupport
import SeeAlsoText

/// The result of fitting: the model, the TF-IDF matrix (one row per admitted article, in input
/// order), the articles' metadata, and what was skipped.
package struct TfidfFit: Sendable {
    package var model: TfidfModel
    package var matrix: CSRMatrix
    package var articles: [ArticleMetadata]
    /// The articles' bodies, compressed (with `keepTexts`; else empty).
    package var texts = TextBlocks()
    package var skipped: SkippedRecords
    /// Wall time of each stage: read+analyze+count, merge vocabularies, weigh rows.
    package var timings: StageTimings
    /// With a frozen model: the share of term occurrences outside its vocabulary.
    package var outOfVocabularyRate: Double?
}

/// Fits TF-IDF on a corpus in one streaming pass, using every worker thread.
///
/// Stages: workers take pieces of the input in turn (`CorpusReader.nextPiece()`: byte ranges of a
/// plain JSON Lines file, which each worker reads and cuts into lines itself; batches read in order
/// for gzip, pipes, CSV and folders), decode and analyze them with their own `Analyzer`
/// (thread-local term ids), and count each document's terms; batches are admitted in input order
/// (duplicate ids, `--skip-invalid`). Then the thread dictionaries are merged, document
/// frequencies computed, terms pruned (`min_df`, `max_df`, `max_features`) and sorted, and the rows
/// remapped and weighted in parallel. Time O(input bytes + stored entries · log row length);
/// memory O(stored entries + vocabulary), independent of the input text size.
package enum TfidfVectorizer {
    /// Fits on a corpus reader. `keepMetadata` keeps each article's id, title, date, … in the result,
    /// `keepTexts` its body (compressed, on the workers).
    package static func fit(
        reader: CorpusReader, configuration: TfidfConfiguration, keepMetadata: Bool = true, keepTexts: Bool = false,
        progress: ProgressTask? = nil
    ) throws -> TfidfFit {
        try fit(source: .reader(reader), file: reader.path, skipInvalid: reader.options.skipInvalid,
                configuration: configuration, keep: (keepMetadata, keepTexts), progress: progress)
    }

    /// Fits on articles already in memory (ids must be unique).
    package static func fit(articles: [Article], configuration: TfidfConfiguration, keepTexts: Bool = false,
                            progress: ProgressTask? = nil) throws -> TfidfFit {
        try fit(source: .memory(articles), file: "<memory>", skipInvalid: false,
                configuration: configuration, keep: (true, keepTexts), progress: progress)
    }

    /// Vectorizes a corpus with a frozen model: its vocabulary (unknown terms are dropped) and idf.
    /// The result's `model` is `model` itself; `outOfVocabularyRate` is the share of term
    /// occurrences that the vocabulary does not know.
    package static func transform(
        reader: CorpusReader, model: TfidfModel, keepMetadata: Bool = true, keepTexts: Bool = false, progress: ProgressTask? = nil
    ) throws -> TfidfFit {
        try fit(source: .reader(reader), file: reader.path, skipInvalid: reader.options.skipInvalid,
                configuration: model.configuration, keep: (keepMetadata, keepTexts), progress: progress, frozen: model)
    }

    /// `transform` for articles in memory.
    package static func transform(articles: [Article], model: TfidfModel) throws -> TfidfFit {
        try fit(source: .memory(articles), file: "<memory>", skipInvalid: false,
                configuration: model.configuration, keep: (true, false), progress: nil, frozen: model)
    }

    enum Source {
        case reader(CorpusReader)
        case memory([Article])
    }

    /// The term statistics of a corpus (every term's document frequency and total tf, before pruning),
    /// counted exactly as `fit` counts: merging the statistics of a corpus's parts and fitting the
    /// sum (`fitModel(_:configuration:)`) gives the model `fit` gives on the whole corpus.
    package static func termStatistics(reader: CorpusReader, configuration: TfidfConfiguration,
                                       progress: ProgressTask? = nil) throws -> TermStatistics {
        var counted = try count(source: .reader(reader), file: reader.path, skipInvalid: reader.options.skipInvalid,
                                configuration: configuration, keep: (false, false), progress: progress)
        return VocabularyMerge.merge(batches: counted.batches, dictionaries: counted.dictionaries,
                                     binary: counted.configuration.binary, timings: &counted.timings).0
    }

    /// The model of merged term statistics (see `termStatistics`): vocabulary pruned and sorted as
    /// scikit-learn does, idf from the document frequencies.
    package static func fitModel(_ statistics: TermStatistics, configuration: TfidfConfiguration) throws -> TfidfModel {
        try VocabularyMerge.fitModel(statistics, configuration: try resolved(configuration)).0
    }

    /// The configuration checked, with the stop-word lists it is fitted with (so a model needs no `Models/` later).
    private static func resolved(_ configuration: TfidfConfiguration) throws -> TfidfConfiguration {
        try configuration.validate()
        var configuration = configuration
        if configuration.analyzer.stopWordLists == nil { try configuration.analyzer.resolveStopWordLists() }
        return configuration
    }

    private static func fit(
        source: Source, file: String, skipInvalid: Bool, configuration: TfidfConfiguration,
        keep: (metadata: Bool, texts: Bool), progress: ProgressTask?, frozen: TfidfModel? = nil
    ) throws -> TfidfFit {
        var counted = try count(source: source, file: file, skipInvalid: skipInvalid, configuration: configuration, keep: keep,
                                progress: progress)
        // Take the batches out of `counted` so that this is their only reference: the merge consumes them in place.
        var batches = counted.batches
        counted.batches = []
        let articles = keep.metadata ? batches.flatMap(\.metadata) : []
        var texts = TextBlocks()
        if keep.texts { for batch in batches { texts.append(block: batch.texts, count: batch.rowCount) } }
        for index in batches.indices {
            batches[index].metadata = []
            batches[index].texts = []
        }
        let model: TfidfModel
        let matrix: CSRMatrix
        var outOfVocabularyRate: Double?
        if let frozen {
            (matrix, outOfVocabularyRate) = VocabularyMerge.transform(batches: &batches, dictionaries: counted.dictionaries, model: frozen)
            model = frozen
            counted.timings.lap("map to frozen vocabulary and weigh")
        } else {
            (model, matrix) = try VocabularyMerge.build(
                batches: &batches, dictionaries: counted.dictionaries, configuration: counted.configuration, timings: &counted.timings)
        }
        return TfidfFit(model: model, matrix: matrix, articles: articles, texts: texts, skipped: counted.skipped,
                        timings: counted.timings, outOfVocabularyRate: outOfVocabularyRate)
    }

    /// The counting pass shared by `fit`, `transform` and `termStatistics`: batches admitted in input order.
    private struct Counted {
        var batches: [CountedBatch]
        var dictionaries: [TermDictionary]
        var skipped: SkippedRecords
        var timings: StageTimings
        var configuration: TfidfConfiguration
    }

    private static func count(
        source: Source, file: String, skipInvalid: Bool, configuration: TfidfConfiguration,
        keep: (metadata: Bool, texts: Bool), progress: ProgressTask?
    ) throws -> Counted {
        let configuration = try resolved(configuration)
        var timings = StageTimings()
        let workerCount = Parallelism.workerCount
        let workers = try (0..<workerCount).map { _ in try CountingWorker(configuration: configuration) }
        var batches: [CountedBatch] = []
        var validator = CorpusValidator(file: file, skipInvalid: skipInvalid)
        var memoryOffset = 0
        let memoryBatchSize = 512

        try OrderedPipeline.run(
            workers: workerCount,
            next: { () -> DecodedOrRaw? in
                switch source {
                case .reader(let reader):
                    return try reader.nextPiece().map { .raw($0, reader) }
                case .memory(let articles):
                    guard memoryOffset < articles.count else { return nil }
                    let end = min(articles.count, memoryOffset + memoryBatchSize)
                    let records = articles[memoryOffset..<end].enumerated().map {
                        DecodedRecord.article($0.element, line: memoryOffset + $0.offset + 1)
                    }
                    defer { memoryOffset = end }
                    return .decoded(DecodedBatch(sequence: memoryOffset / memoryBatchSize, records: records))
                }
            },
            transform: { item, worker in
                let decoded: DecodedBatch
                switch item {
                case .raw(let piece, let reader): decoded = try reader.decode(piece)
                case .decoded(let batch): decoded = batch
                }
                return workers[worker].count(decoded, worker: worker, keep: keep)
            },
            consume: { counted in
                var counted = counted
                let accepted = try validator.admit(counted.validation)
                try counted.dropRejected(accepted)
                counted.validation = DecodedBatch(sequence: counted.validation.sequence, records: [])
                progress?.advance(by: counted.rowCount)
                batches.append(counted)
            })
        try validator.finish()
        timings.lap("count")
        return Counted(batches: batches, dictionaries: workers.map(\.terms), skipped: validator.skipped, timings: timings,
                       configuration: configuration)
    }
}

enum DecodedOrRaw {
    case raw(CorpusPiece, CorpusReader)
    case decoded(DecodedBatch)
}

/// One batch's documents as rows of (thread-local term id, raw tf).
struct CountedBatch: @unchecked Sendable {
    let worker: Int
    var rowStarts: [Int] = [0]
    var terms: [Int32] = []
    var counts: [Float] = []
    var metadata: [ArticleMetadata] = []
    /// The rows' bodies as one `TextBlocks` block (when texts are kept).
    var texts: [UInt8] = []
    /// Record index → row, or -1 for an invalid record.
    var rowOfRecord: [Int] = []
    /// Ids only (bodies dropped), for the in-order validator.
    var validation: DecodedBatch

    var rowCount: Int { rowStarts.count - 1 }

    /// Removes the rows of articles the validator rejected (duplicate ids).
    mutating func dropRejected(_ accepted: [Bool]) throws {
        var rejectedRows = Set<Int>()
        for (record, keep) in accepted.enumerated() where !keep && rowOfRecord[record] >= 0 {
            rejectedRows.insert(rowOfRecord[record])
        }
        guard !rejectedRows.isEmpty else { return }
        var newStarts = [0]
        var newTerms: [Int32] = []
        var newCounts: [Float] = []
        var newMetadata: [ArticleMetadata] = []
        for row in 0..<rowCount where !rejectedRows.contains(row) {
            let range = rowStarts[row]..<rowStarts[row + 1]
            newTerms.append(contentsOf: terms[range])
            newCounts.append(contentsOf: counts[range])
            newStarts.append(newTerms.count)
            if !metadata.isEmpty { newMetadata.append(metadata[row]) }
        }
        if !texts.isEmpty {
            let bodies = try TextBlocks.decompress(texts, count: rowCount)
            texts = TextBlocks.compress(bodies.indices.filter { !rejectedRows.contains($0) }.map { bodies[$0] })
        }
        rowStarts = newStarts
        terms = newTerms
        counts = newCounts
        metadata = newMetadata
    }
}

/// A worker's analyzer and per-document counting scratch (one per thread, never shared).
final class CountingWorker: @unchecked Sendable {
    private var state: CountingState?

    init(configuration: TfidfConfiguration) throws {
        state = CountingState(analyzer: try Analyzer(configuration: configuration.analyzer), configuration: configuration)
    }

    /// The worker's term dictionary (after counting).
    var terms: TermDictionary { state!.analyzer.terms }

    func count(_ batch: DecodedBatch, worker: Int, keep: (metadata: Bool, texts: Bool)) -> CountedBatch {
        // Work on a local copy so that the hot loops touch no class properties (no exclusivity checks).
        var local = state.take()!
        defer { state = local }
        return local.count(batch, worker: worker, keep: keep)
    }
}

/// Per-thread counting state: each document's terms become (term, tf) pairs, using a stamp per
/// term to find repeats in O(1) without hashing.
struct CountingState {
    var analyzer: Analyzer
    let configuration: TfidfConfiguration
    /// For each thread-local term: the stamp of the last document that used it (high 32 bits) and
    /// its position in that row (low 32 bits), packed so one memory access serves both.
    private var lastUse: [UInt64] = []
    private var stamp: UInt64 = 0
    private var document = WeightedTerms()
    /// The current row's distinct terms and their counts (scratch, as long as the longest article).
    private var rowTerms: [Int32] = []
    private var rowCounts: [Float] = []

    init(analyzer: Analyzer, configuration: TfidfConfiguration) {
        self.analyzer = analyzer
        self.configuration = configuration
    }

    mutating func count(_ batch: DecodedBatch, worker: Int, keep: (metadata: Bool, texts: Bool)) -> CountedBatch {
        var counted = CountedBatch(worker: worker, validation: batch)
        var validationRecords: [DecodedRecord] = []
        validationRecords.reserveCapacity(batch.records.count)
        counted.rowOfRecord.reserveCapacity(batch.records.count)
        for record in batch.records {
            guard case .article(let article, let line) = record else {
                counted.rowOfRecord.append(-1)
                validationRecords.append(record)
                continue
            }
            counted.rowOfRecord.append(counted.rowCount)
            countArticle(article, into: &counted)
            if keep.metadata { counted.metadata.append(ArticleMetadata(article)) }
            validationRecords.append(.article(Article(id: article.id, body: ""), line: line))
        }
        if keep.texts { counted.texts = TextBlocks.compress(batch.records.compactMap { $0.article?.body }) }
        counted.validation.records = validationRecords
        return counted
    }

    private mutating func countArticle(_ article: Article, into counted: inout CountedBatch) {
        document.analyze(article, with: &analyzer, configuration: configuration)
        if analyzer.terms.count > lastUse.count {
            let size = max(analyzer.terms.count, lastUse.count * 2, 1024)
            lastUse.append(contentsOf: repeatElement(0, count: size - lastUse.count))
        }
        let occurrences = document.terms.count
        if rowTerms.count < occurrences {
            rowTerms = Array(repeating: 0, count: max(occurrences, 2 * rowTerms.count))
            rowCounts = Array(repeating: 0, count: rowTerms.count)
        }
        stamp += 1
        let currentStamp = stamp << 32
        var distinct = 0
        // The row is gathered in scratch buffers of the article's length and appended once.
        lastUse.withUnsafeMutableBufferPointer { lastUse in
            rowTerms.withUnsafeMutableBufferPointer { terms in
                rowCounts.withUnsafeMutableBufferPointer { counts in
                    document.forEach { term, weight in
                        let use = lastUse[Int(term)]
                        if use & 0xFFFF_FFFF_0000_0000 == currentStamp {
                            counts[Int(use & 0xFFFF_FFFF)] += weight
                        } else {
                            lastUse[Int(term)] = currentStamp | UInt64(distinct)
                            terms[distinct] = term
                            counts[distinct] = weight
                            distinct += 1
                        }
                    }
                }
            }
        }
        counted.terms.append(contentsOf: rowTerms[..<distinct])
        counted.counts.append(contentsOf: rowCounts[..<distinct])
        counted.rowStarts.append(counted.terms.count)
    }
}
