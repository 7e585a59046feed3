import Foundation
import SeeAlso
import SeeAlsoFuzzSupport
import SeeAlsoTestSupport

// Fuzzes opening and querying an index. A small partitioned index with clusters, a tail, deleted rows
// and texts is built once; an input is a file number (first byte, modulo the file count) and that file's
// new bytes: manifest.json, whose manifest.crc32 is made to match, or a section file, whose size and
// CRC-32 in the manifest are made to match, so that the checks behind the checksums are what is fuzzed.
// Opening and querying must work or throw an `IndexError`; the original bytes are put back after each input.
let scratch = try TemporaryDirectory("fuzz-index")
let world = NewsWorld(seed: 96, topicCount: 4, storiesPerTopic: 3)
let articles = world.articles(count: 80, seed: 1)
let index = scratch.path("index")
var options = BuildOptions()
options.k = 5
options.method = .partitioned
options.partitioned.candidates = .partitions(count: 3, probes: 2)
options.partitioned.dimensions = 8
options.recallSample = 0
_ = try SeeAlsoEngine.build(ArchiveInput(try writeJSONL(articles, to: scratch.path("archive.jsonl"))), into: index, options: options)
var topics = ClusterOptions()
topics.topics.clusterCount = 3
_ = try SeeAlsoEngine(path: index).cluster(options: topics)
let added = try writeJSONL(world.articles(count: 8, seed: 2, idPrefix: "n"), to: scratch.path("added.jsonl"))
_ = try SeeAlsoEngine.write(ArchiveChanges(add: ArchiveInput(added), delete: [articles[3].id]), to: index)

let generation = try IndexDirectory(path: index).liveGeneration()!
let manifestName = "manifest.json"
let manifestData = try Data(contentsOf: URL(fileURLWithPath: generation + "/" + manifestName))
let manifest = try JSONDecoder().decode(IndexManifest.self, from: manifestData)
let names = [manifestName] + manifest.files.keys.sorted().filter { $0.hasSuffix(".sal") }
let originals = try names.map { try Data(contentsOf: URL(fileURLWithPath: generation + "/" + $0)) }
let queries = [articles[0].id, articles[3].id, articles[7].id, "n0", "absent"]

/// Writes `data` to `name` in the live generation.
func put(_ name: String, _ data: Data) {
    try! data.write(to: URL(fileURLWithPath: generation + "/" + name))
}

/// Writes `manifestBytes` as manifest.json with a matching manifest.crc32.
func putManifest(_ manifestBytes: Data) {
    put(manifestName, manifestBytes)
    put(IndexManifest.checksumFile, Data(IndexManifest.checksumText(of: manifestBytes).utf8))
}

/// Opens the index and runs every kind of query on it.
func openAndQuery() throws {
    let engine = try SeeAlsoEngine(path: index)
    for id in queries { _ = try? engine.related(toArticleWithID: id) }
    _ = try engine.related(to: articles[9])
    engine.forEachStoredList { _ in }
    for id in 0..<4 { _ = (engine.topic(id), engine.story(id)) }
    _ = engine.article(withID: articles[1].id)
    let opened = try Index(path: index)
    _ = try opened.similarityIndex().lists(ofIndexedRows: [0, 1, 2], k: 3)
    _ = try opened.liveArticles()
}

FuzzDriver.main(seeds: { _ in
    names.indices.map { [UInt8($0)] + Array(originals[$0]) }
}, fuzz: { bytes in
    guard let first = bytes.first else { return }
    let file = Int(first) % names.count
    let contents = Data(bytes.dropFirst())
    if file == 0 {
        putManifest(contents)
    } else {
        put(names[file], contents)
        var changed = manifest
        changed.files[names[file]] = .init(bytes: contents.count, crc32: contents.withUnsafeBytes { CRC32.checksum($0) })
        putManifest(try! JSONEncoder().encode(changed))
    }
    do {
        try openAndQuery()
    } catch is IndexError {
    } catch {
        fatalError("not an IndexError: \(error)")
    }
    put(names[file], originals[file])
    putManifest(manifestData)
})
