import Foundation
import Testing
import SeeAlsoCorpus
import SeeAlsoVectorize
import SeeAlsoTestSupport

/// A MatrixMarket `coordinate real general` reader, just enough to check `MatrixMarket.write`.
private func readMatrixMarket(_ path: String) throws -> CSRMatrix {
    let text = try String(contentsOfFile: path, encoding: .utf8)
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(lines.last == "", "the file ends with a newline")
    if lines.last == "" { lines.removeLast() }
    guard lines.first == "%%MatrixMarket matrix coordinate real general" else { throw FixtureError("bad banner \(lines.first ?? "")") }
    var body = lines.dropFirst().drop { $0.hasPrefix("%") }
    guard let size = body.popFirst()?.split(separator: " ").compactMap({ Int($0) }), size.count == 3 else {
        throw FixtureError("bad size line")
    }
    let (rows, columns, entries) = (size[0], size[1], size[2])
    guard body.count == entries else { throw FixtureError("\(body.count) entry lines, header says \(entries)") }
    var triples: [(row: Int, column: Int, value: Float)] = []
    for line in body {
        let fields = line.split(separator: " ")
        guard fields.count == 3, let row = Int(fields[0]), let column = Int(fields[1]), let value = Float(fields[2]),
              (1...rows).contains(row), (1...columns).contains(column) else {
            throw FixtureError("bad entry line \(line)")
        }
        triples.append((row - 1, column - 1, value))
    }
    // Rebuild CSR (entries are in row order, columns sorted within rows, as written).
    var rowStarts = [Int](repeating: 0, count: rows + 1)
    for triple in triples { rowStarts[triple.row + 1] += 1 }
    for row in 0..<rows { rowStarts[row + 1] += rowStarts[row] }
    let sorted = triples.enumerated().sorted { ($0.element.row, $0.offset) < ($1.element.row, $1.offset) }.map(\.element)
    return CSRMatrix(rowCount: rows, columnCount: columns, rowStarts: rowStarts,
                     columns: sorted.map { Int32($0.column) }, values: sorted.map(\.value))
}

@Suite struct MatrixExportTests {
    static let tiny = CSRMatrix(
        rowCount: 4, columnCount: 5, rowStarts: [0, 2, 2, 5, 5],
        columns: [0, 4, 1, 2, 3], values: [0.5, -1.25, 1e-7, 3.4028235e38, 0.1])

    @Test func tinyMatrixRoundTrips() throws {
        try withTemporaryDirectory { dir in
            let path = dir.path("tiny.mtx")
            try MatrixMarket.write(Self.tiny, to: path)
            let text = try String(contentsOfFile: path, encoding: .utf8)
            #expect(text.hasPrefix("%%MatrixMarket matrix coordinate real general\n4 5 5\n1 1 0.5\n1 5 -1.25\n3 2 "))
            #expect(try readMatrixMarket(path) == Self.tiny)
        }
    }

    @Test func emptyMatrixRoundTrips() throws {
        try withTemporaryDirectory { dir in
            let empty = CSRMatrix(rowCount: 3, columnCount: 2, rowStarts: [0, 0, 0, 0], columns: [], values: [])
            let path = dir.path("empty.mtx")
            try MatrixMarket.write(empty, to: path)
            #expect(try String(contentsOfFile: path, encoding: .utf8) == "%%MatrixMarket matrix coordinate real general\n3 2 0\n")
            #expect(try readMatrixMarket(path) == empty)
        }
    }

    @Test(arguments: ["default", "bigrams", "no_lowercase", "trigrams_stop"])
    func fittedMatrixRoundTrips(_ name: String) throws {
        let configuration = try TfidfFixtures.configuration(try #require(try TfidfFixtures.golden(name)["config"]))
        let fit = try TfidfVectorizer.fit(reader: try CorpusReader(path: try TfidfFixtures.docsPath()), configuration: configuration)
        try withTemporaryDirectory { dir in
            let path = dir.path("\(name).mtx")
            try MatrixMarket.write(fit.matrix, to: path)
            let read = try readMatrixMarket(path)
            #expect(read == fit.matrix) // Float descriptions round-trip exactly
            #expect(read.isValid())

            let vocabularyPath = dir.path("\(name).vocab")
            try MatrixMarket.writeVocabulary(fit.model.vocabulary, to: vocabularyPath)
            let data = try Data(contentsOf: URL(fileURLWithPath: vocabularyPath))
            var lines = data.split(separator: 0x0A, omittingEmptySubsequences: false).map { Array($0) }
            #expect(lines.removeLast().isEmpty)
            #expect(lines == utf8Terms(fit.model.vocabulary))
        }
    }

    @Test func isValidChecksTheInvariants() {
        #expect(Self.tiny.isValid())
        #expect(CSRMatrix(rowCount: 0, columnCount: 0, rowStarts: [0], columns: [], values: []).isValid())
        // Columns out of order, repeated, negative or out of range.
        #expect(!CSRMatrix(rowCount: 1, columnCount: 5, rowStarts: [0, 2], columns: [3, 1], values: [1, 1]).isValid())
        #expect(!CSRMatrix(rowCount: 1, columnCount: 5, rowStarts: [0, 2], columns: [2, 2], values: [1, 1]).isValid())
        #expect(!CSRMatrix(rowCount: 1, columnCount: 5, rowStarts: [0, 1], columns: [-1], values: [1]).isValid())
        #expect(!CSRMatrix(rowCount: 1, columnCount: 5, rowStarts: [0, 1], columns: [5], values: [1]).isValid())
        // Offsets that go backwards or do not start at 0.
        var backwards = Self.tiny
        backwards.rowStarts = [0, 3, 2, 5, 5]
        #expect(!backwards.isValid())
        var shifted = Self.tiny
        shifted.rowStarts = [1, 2, 2, 5, 5]
        #expect(!shifted.isValid())
        var short = Self.tiny
        short.rowCount = 5
        #expect(!short.isValid())
        // Columns sorted per row, not across rows.
        #expect(CSRMatrix(rowCount: 2, columnCount: 5, rowStarts: [0, 2, 4], columns: [3, 4, 0, 1], values: [1, 1, 1, 1]).isValid())
        #expect(Self.tiny.storedCount == 5)
        #expect(Array(Self.tiny.row(2).columns) == [1, 2, 3])
        #expect(Self.tiny.row(1).columns.isEmpty)
    }
}
