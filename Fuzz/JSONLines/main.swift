import Foundation
import SeeAlsoCorpus
import SeeAlsoFuzzSupport
import SeeAlsoTestSupport

// Fuzzes the JSON Lines reader: the input is one .jsonl file (plain or gzip).
let scratch = try TemporaryDirectory("fuzz-jsonl")
FuzzDriver.main(seeds: { seeds in
    let lines = try String(contentsOfFile: try writeJSONL(ReaderFuzzing.articles, to: seeds.path("seed.jsonl")), encoding: .utf8)
    let odd = "\u{FEFF}{\"id\":\"x\\u00e9\",\"title\":\"t\",\"body\":\"b \\\"q\\\"\",\"extra\":[1,{\"a\":null}]}\r\n\n{\"id\":7}\n"
    return try ReaderFuzzing.plainAndGzip(Array(lines.utf8), in: seeds) + [Array(odd.utf8)]
}, fuzz: { bytes in
    ReaderFuzzing.read(try! scratch.write("case.jsonl", bytes: bytes), format: .jsonl)
})
