import Foundation
import SeeAlsoCorpus
import SeeAlsoFuzzSupport
import SeeAlsoTestSupport

// Fuzzes the text-folder reader: the input is split at each `separator` into up to `names.count` files
// of a fresh folder (a part that starts with the gzip magic gets a .gz name).
let separator = Array("\u{0}FILE\u{0}".utf8)
let names = ["a.txt", "b.md", "sub/c.txt", "sub/deeper/d.md", "z.TXT"]
let scratch = try TemporaryDirectory("fuzz-folder")

/// `bytes` cut at each `separator`.
func parts(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
    var parts: [ArraySlice<UInt8>] = []
    var start = 0, position = 0
    while position + separator.count <= bytes.count {
        if bytes[position..<position + separator.count].elementsEqual(separator) {
            parts.append(bytes[start..<position])
            position += separator.count
            start = position
        } else {
            position += 1
        }
    }
    return parts + [bytes[start...]]
}

FuzzDriver.main(seeds: { seeds in
    let files = try ReaderFuzzing.articles.map { article in
        try ReaderFuzzing.plainAndGzip(Array((article.title + "\n" + article.body + "\n").utf8), in: seeds)
    }
    let odd = Array("\u{FEFF}Title\r\n\r\nbody".utf8) + separator + Array("\n\nno title".utf8) + separator
    return [files[0][0] + separator + files[1][1] + separator + files[2][0], files[3][0], files[4][1], odd]
}, fuzz: { bytes in
    let folder = scratch.path("folder")
    try? FileManager.default.removeItem(atPath: folder)
    try! FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    for (name, part) in zip(names, parts(bytes)) {
        try! scratch.write("folder/" + name + (part.starts(with: [0x1F, 0x8B]) ? ".gz" : ""), bytes: Array(part))
    }
    ReaderFuzzing.read(folder, format: .folder)
})
