import Foundation
import SeeAlsoCorpus
import SeeAlsoFuzzSupport
import SeeAlsoTestSupport

// Fuzzes the CSV reader: the input is one .csv file (plain or gzip).
let scratch = try TemporaryDirectory("fuzz-csv")
FuzzDriver.main(seeds: { seeds in
    let odd = "\u{FEFF}id,body,title,extra\r\n1,\"multi\r\nline \"\"quoted\"\"\",t,\n2,,,\n\"3\"x,b,t\n"
    return try ReaderFuzzing.plainAndGzip(Array(csvText(ReaderFuzzing.articles).utf8), in: seeds) + [Array(odd.utf8)]
}, fuzz: { bytes in
    ReaderFuzzing.read(try! scratch.write("case.csv", bytes: bytes), format: .csv)
})
