import Foundation
import SeeAlsoCorpus
import SeeAlsoSupport
import SeeAlsoText

/// The result of fitting: the model, the TF-IDF matrix (one row per admitted article, in input
/// order), the articles' metadata, and what was skipped.
public struct TfidfFit: Sendable {
    public var model: TfidfModel
    public var matrix: CSRMatrix
    public var articles: [ArticleMetadata]
    public var skipped: SkippedRecords
}

/// Fits TF-IDF on a corpus in one streaming pass, using every worker thread.
///
/// Stages: workers read batches in turn, decode and analyze them with their own `Analyzer`
/// (thread-local term ids), and count each document's terms; batches are admitted in input order
/// (duplicate ids, `--skip-invalid`). Then the thread dictionaries are merged, document
/// frequencies computed, terms pruned (`min_df`, `max_df`, `max_features`) and sorted, and the rows
/// remapped and weighted in parallel. Time O(input bytes + stored entries · log row length);
/// memory O(stored entries + vocabulary), independent of the input text size.
public enum TfidfVectorizer {
    /// Fits on a corpus reader. `keepMetadata` keeps each article's id, title, date, … in the result.
    public static func fit(
        reader: CorpusReader, configuration: TfidfConfiguration, keepMetadata: Bool = true, progress: ProgressReporter? = nil
    ) throws -> TfidfFit {
        try fit(source: .reader(reader), file: reader.path, skipInvalid: reader.options.skipInvalid,
                configuration: configuration, keepMetadata: keepMetadata, progress: progress)
    }

    /// Fits on articles already in memory (ids must be unique).
    public static func fit(articles: [Article], configuration: TfidfConfiguration) throws -> TfidfFit {
        try fit(source: .memory(articles), file: "<memory>", skipInvalid: false,
                configuration: configuration, keepMetadata: true, progress: nil)
    }

    enum Source {
        case reader(CorpusReader)
        case memory([Article])
    }

    private static func fit(
        source: Source, file: String, skipInvalid: Bool, configuration: TfidfConfiguration,
        keepMetadata: Bool, progress: ProgressReporter?
    ) throws -> TfidfFit {
        try configuration.validate()
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
                    return try reader.nextBatch().map { .raw($0, reader) }
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
                case .raw(let batch, let reader): decoded = reader.decode(batch)
                case .decoded(let batch): decoded = batch
                }
                return workers[worker].count(decoded, worker: worker, keepMetadata: keepMetadata)
            },
            consume: { counted in
                var counted = counted
                let accepted = try validator.admit(counted.validation)
                counted.dropRejected(accepted)
                counted.validation = DecodedBatch(sequence: counted.validation.sequence, records: [])
                progress?.advance(by: counted.rowCount)
                batches.append(counted)
            })
        try validator.finish()
        let dictionaries = workers.map(\.terms)
        let (model, matrix) = try VocabularyMerge.build(
            batches: batches, dictionaries: dictionaries, configuration: configuration)
        let articles = keepMetadata ? batches.flatMap(\.metadata) : []
        return TfidfFit(model: model, matrix: matrix, articles: articles, skipped: validator.skipped)
    }
}

enum DecodedOrRaw {
    case raw(RecordBatch, CorpusReader)
    case decoded(DecodedBatch)
}

/// One batch's documents as rows of (thread-local term id, raw tf).
struct CountedBatch: @unchecked Sendable {
    let worker: Int
    var rowStarts: [Int] = [0]
    var terms: [Int32] = []
    var counts: [Float] = []
    var metadata: [ArticleMetadata] = []
    /// Record index → row, or -1 for an invalid record.
    var rowOfRecord: [Int] = []
    /// Ids only (bodies dropped), for the in-order validator.
    var validation: DecodedBatch

    var rowCount: Int { rowStarts.count - 1 }

    /// Removes the rows of articles the validator rejected (duplicate ids).
    mutating func dropRejected(_ accepted: [Bool]) {
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
        state = CountingState(analyzer: try Analyzer(configuration: configuration.analyzer),
                              titleWeight: configuration.titleWeight)
    }

    /// The worker's term dictionary (after counting).
    var terms: TermDictionary { state!.analyzer.terms }

    func count(_ batch: DecodedBatch, worker: Int, keepMetadata: Bool) -> CountedBatch {
        // Work on a local copy so that the hot loops touch no class properties (no exclusivity checks).
        var local = state.take()!
        defer { state = local }
        return local.count(batch, worker: worker, keepMetadata: keepMetadata)
    }
}

/// Per-thread counting state: each document's terms become (term, tf) pairs, using a stamp per
/// term to find repeats in O(1) without hashing.
struct CountingState {
    var analyzer: Analyzer
    let titleWeight: Float
    /// For each thread-local term: the stamp of the last document that used it, and its position in that row.
    private var lastStamp: [Int32] = []
    private var position: [Int32] = []
    private var stamp: Int32 = 0
    private var documentTerms: [Int32] = []

    init(analyzer: Analyzer, titleWeight: Float) {
        self.analyzer = analyzer
        self.titleWeight = titleWeight
    }

    mutating func count(_ batch: DecodedBatch, worker: Int, keepMetadata: Bool) -> CountedBatch {
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
            if keepMetadata { counted.metadata.append(ArticleMetadata(article)) }
            validationRecords.append(.article(Article(id: article.id, body: ""), line: line))
        }
        counted.validation = DecodedBatch(sequence: batch.sequence, records: validationRecords)
        return counted
    }

    private mutating func countArticle(_ article: Article, into counted: inout CountedBatch) {
        let titleOnly = analyzer.analyze(title: article.title, body: article.body, languageCode: article.language,
                                         into: &documentTerms)
        if analyzer.terms.count > lastStamp.count {
            let size = max(analyzer.terms.count, lastStamp.count * 2, 1024)
            lastStamp.append(contentsOf: repeatElement(0, count: size - lastStamp.count))
            position.append(contentsOf: repeatElement(0, count: size - position.count))
        }
        stamp &+= 1
        if stamp == 0 {
            for index in lastStamp.indices { lastStamp[index] = 0 }
            stamp = 1
        }
        let rowStart = counted.terms.count
        let currentStamp = stamp
        let titleWeight = titleWeight
        documentTerms.withUnsafeBufferPointer { terms in
            lastStamp.withUnsafeMutableBufferPointer { lastStamp in
                position.withUnsafeMutableBufferPointer { position in
                    for (index, term) in terms.enumerated() {
                        let weight: Float = index < titleOnly ? titleWeight : 1
                        let slot = Int(term)
                        if lastStamp[slot] == currentStamp {
                            counted.counts[rowStart + Int(position[slot])] += weight
                        } else {
                            lastStamp[slot] = currentStamp
                            position[slot] = Int32(counted.terms.count - rowStart)
                            counted.terms.append(term)
                            counted.counts.append(weight)
                        }
                    }
                }
            }
        }
        counted.rowStarts.append(counted.terms.count)
    }
}
