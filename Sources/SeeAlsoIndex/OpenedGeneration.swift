import Foundation
import SeeAlsoSupport

/// The arrays of one index generation, read in place (see `Index`).
struct OpenedGeneration {
    let generationPath: String
    let manifest: IndexManifest
    let articleCount: Int
    let vocabulary: StringTable
    let idf: UnsafeBufferPointer<Double>
    let segments: [IndexSegment]
    let listIds: UnsafeBufferPointer<Int32>
    let listScores: UnsafeBufferPointer<Float>
    let topicAssignments: UnsafeBufferPointer<Int32>
    let storyAssignments: UnsafeBufferPointer<Int32>
    let clusters: IndexClusters?
    let deleted: RowSet
    let files: [SectionFileReader]

    /// Opens the generation `CURRENT` names, again (up to 8 times) when a writer replaced it meanwhile.
    static func live(of path: String, verify: Bool) throws -> OpenedGeneration {
        let directory = IndexDirectory(path: path)
        var attempt = 0
        while true {
            guard let generation = try directory.liveGeneration() else {
                throw IndexError.notAnIndex(path: path, reason: "no CURRENT file (build one with `seealso build`)")
            }
            do {
                return try OpenedGeneration(generation: generation, verify: verify)
            } catch {
                attempt += 1
                guard attempt < 8, (try? directory.liveGeneration()) != generation else { throw error }
            }
        }
    }

    private init(generation: String, verify: Bool) throws {
        generationPath = generation
        let manifestPath = generation + "/manifest.json"
        guard let data = FileManager.default.contents(atPath: manifestPath) else {
            throw IndexError.corrupt(path: manifestPath, reason: "missing")
        }
        if let recorded = FileManager.default.contents(atPath: generation + "/" + IndexManifest.checksumFile) {
            let expected = IndexManifest.checksumText(of: data)
            guard String(decoding: recorded, as: UTF8.self) == expected else {
                throw IndexError.corrupt(path: manifestPath, reason: "checksum mismatch (CRC-32 \(expected.dropLast()), "
                                         + "\(IndexManifest.checksumFile) says \(String(decoding: recorded.prefix(16), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)))")
            }
        }
        let header: IndexManifest.Header
        do {
            header = try JSONDecoder().decode(IndexManifest.Header.self, from: data)
        } catch {
            throw IndexError.corrupt(path: manifestPath, reason: "unreadable manifest (\(error))")
        }
        guard header.format == IndexManifest.formatName else {
            throw IndexError.notAnIndex(path: manifestPath, reason: "format \"\(header.format)\"")
        }
        guard header.version <= IndexManifest.currentVersion else {
            throw IndexError.newerFormat(path: manifestPath, version: header.version, writtenBy: header.writtenBy,
                                         readable: IndexManifest.currentVersion)
        }
        let manifest: IndexManifest
        do {
            manifest = try JSONDecoder().decode(IndexManifest.self, from: data)
        } catch {
            throw IndexError.corrupt(path: manifestPath, reason: "unreadable manifest (\(error))")
        }
        try manifest.checkBounds(path: manifestPath)
        self.manifest = manifest
        func open(_ name: String, _ kind: String) throws -> SectionFileReader {
            let filePath = generation + "/" + name
            guard let record = manifest.files[name] else {
                throw IndexError.corrupt(path: manifestPath, reason: "lists no \(name)")
            }
            guard FileManager.default.fileExists(atPath: filePath) else {
                throw IndexError.corrupt(path: filePath, reason: "missing")
            }
            let checked = verify || record.bytes <= Index.verifyLimitBytes
            let reader = try SectionFileReader(path: filePath, expectedKind: kind, expectedBytes: record.bytes,
                                               expectedCRC32: checked ? record.crc32 : nil)
            return reader
        }
        let model = try open("model.sal", "model")
        let lists = try open("neighbors.sal", "lists")
        var segments: [IndexSegment] = []
        for suffix in IndexSegment.suffixes.prefix((manifest.tailRows ?? 0) > 0 ? 2 : 1) {
            segments.append(try IndexSegment(suffix: suffix, firstRow: segments.last.map { $0.range.upperBound } ?? 0,
                                             dense: manifest.files["dense.sal"] != nil,
                                             texts: manifest.files["texts\(suffix).sal"] != nil, open: open))
        }
        self.segments = segments
        var all = [model, lists] + segments.flatMap(\.files)
        if manifest.files["clusters.sal"] != nil, manifest.files["clusters.json"] != nil {
            let clusterFile = try open("clusters.sal", "clusters")
            all.append(clusterFile)
            topicAssignments = try clusterFile.array("topics")
            storyAssignments = try clusterFile.array("stories")
            let jsonPath = generation + "/clusters.json"
            guard let json = FileManager.default.contents(atPath: jsonPath),
                  json.withUnsafeBytes({ CRC32.checksum($0) }) == manifest.files["clusters.json"]!.crc32 else {
                throw IndexError.corrupt(path: jsonPath, reason: "missing or checksum mismatch")
            }
            let stored: IndexClusters
            do {
                stored = try JSONDecoder().decode(IndexClusters.self, from: json)
            } catch {
                throw IndexError.corrupt(path: jsonPath, reason: "unreadable (\(error))")
            }
            let rows = segments.last!.range.upperBound
            try Self.checkAssignments(topicAssignments, stored: stored.topics != nil, "topics", articleCount: rows, file: clusterFile)
            try Self.checkAssignments(storyAssignments, stored: stored.stories != nil, "stories", articleCount: rows, file: clusterFile)
            clusters = stored
        } else {
            topicAssignments = UnsafeBufferPointer(start: nil, count: 0)
            storyAssignments = UnsafeBufferPointer(start: nil, count: 0)
            clusters = nil
        }
        if manifest.files["deleted.sal"] != nil {
            let deletedFile = try open("deleted.sal", "deleted")
            all.append(deletedFile)
            let rows: UnsafeBufferPointer<Int32> = try deletedFile.array("rows")
            let total = segments.last!.range.upperBound
            guard rows.allSatisfy({ (0..<Int32(total)).contains($0) }), rows.count == manifest.deletedRows ?? 0 else {
                throw IndexError.corrupt(path: deletedFile.path, reason: "deleted rows outside the \(total) rows, or not the manifest's count")
            }
            deleted = RowSet(rows.map { Int($0) })
        } else {
            deleted = RowSet()
        }
        files = all
        vocabulary = try model.strings("vocabulary")
        idf = try model.array("idf")
        listIds = try lists.array("ids")
        listScores = try lists.array("scores")
        articleCount = segments.last!.range.upperBound
        guard listIds.count == articleCount * manifest.k, listScores.count == listIds.count, articleCount == manifest.articleCount,
              segments.allSatisfy({ $0.postings.starts.count == vocabulary.count + 1 && $0.columnsBelow(vocabulary.count) }),
            idf.count == vocabulary.count else {
            throw IndexError.corrupt(path: generation, reason: "files disagree on the number of articles or terms")
        }
        // Every stored neighbour must be an article (or −1, none): one linear pass, so that no query reads
        // past the articles whatever the bytes (the file may be too large for the default checksum).
        let count = Int32(articleCount)
        if let slot = listIds.firstIndex(where: { $0 < -1 || $0 >= count }) {
            throw IndexError.corrupt(path: lists.path, reason: "list entry \(slot) names article \(listIds[slot]) of \(articleCount)")
        }
        try Self.checkDense(segments, terms: vocabulary.count)
    }

    /// A clustering's assignments: one per article when it is stored (none otherwise), each −1 (none) or
    /// 0..<Int32.max (`add` numbers a new story from the largest one plus one).
    private static func checkAssignments(_ assignments: UnsafeBufferPointer<Int32>, stored: Bool, _ name: String,
                                         articleCount: Int, file: SectionFileReader) throws {
        guard assignments.count == (stored ? articleCount : 0) else {
            throw IndexError.corrupt(path: file.path, reason: "\(assignments.count) \(name) assignments for \(articleCount) articles")
        }
        if let row = assignments.firstIndex(where: { $0 < -1 || $0 == Int32.max }) {
            throw IndexError.corrupt(path: file.path, reason: "article \(row) is in \(name) cluster \(assignments[row])")
        }
    }

    /// The dense sections of the approximate methods: sizes agree with the terms and each segment's
    /// articles, every segment has partitions or none does, and each partition number names a centroid
    /// (or is −1). Sizes and one pass over the partitions; the coordinates are checked where they are
    /// read (`Index.similarityIndex()`).
    private static func checkDense(_ segments: [IndexSegment], terms: Int) throws {
        guard let base = segments[0].dense else { return }
        let dimensions = try base.array("singularValues", as: Float.self).count
        let centroids = try base.array("centroids", as: Float.self).count
        guard dimensions > 0, try base.array("projection", as: Float.self).count == terms * dimensions, centroids % dimensions == 0 else {
            throw IndexError.corrupt(path: base.path, reason: "the projection or centroids disagree with \(terms) terms")
        }
        let partitionCount = Int32(clamping: centroids / dimensions)
        let partitioned = try !base.array("partitionOfRow", as: Int32.self).isEmpty
        for segment in segments {
            guard let dense = segment.dense else { continue }
            let partitions = try dense.array("partitionOfRow", as: Int32.self)
            guard try dense.array("vectors", as: Float.self).count == segment.count * dimensions,
                  partitions.count == (partitioned ? segment.count : 0) else {
                throw IndexError.corrupt(path: dense.path, reason: "sections disagree with the \(segment.count) articles of the segment")
            }
            if let row = partitions.firstIndex(where: { $0 < -1 || $0 >= partitionCount }) {
                throw IndexError.corrupt(path: dense.path, reason: "row \(row) names partition \(partitions[row]) of \(partitionCount)")
            }
        }
    }
}
