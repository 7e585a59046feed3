import Foundation
import SeeAlsoSimilarity
import SeeAlsoVectorize

/// The line formats the steps of a sharded build exchange through a cluster scheduler (scripts/spark):
/// one record per line, tab-separated, UTF-8, so that a scheduler can route them by their first field
/// without parsing the rest. Floats are written in Swift's shortest round-trip form and read back
/// bit for bit.
package enum ShardLines {
    /// `term \t df \t tf` (terms never hold tabs or line breaks: they are runs of word characters,
    /// n-grams joined by spaces), after a first line `#documents \t N`.
    static let documentsTag = "#documents"

    /// A TF-IDF row as `row \t base64(columns as Int32 LE …, values as Float32 LE …)`.
    package static func vectorLine(row: Int, columns: ArraySlice<Int32>, values: ArraySlice<Float>) -> String {
        var bytes = [UInt8]()
        bytes.reserveCapacity(columns.count * 8)
        for column in columns { withUnsafeBytes(of: column.littleEndian) { bytes.append(contentsOf: $0) } }
        for value in values { withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) } }
        return "\(row)\t" + Data(bytes).base64EncodedString()
    }

    /// The row number and entries of a vector line; nil when the line is not one.
    package static func parseVector(_ line: Substring) -> (row: Int, columns: [Int32], values: [Float])? {
        guard let tab = line.firstIndex(of: "\t"), let row = Int(line[..<tab]), row >= 0,
              let data = Data(base64Encoded: String(line[line.index(after: tab)...])), data.count % 8 == 0 else { return nil }
        let count = data.count / 8
        var columns = [Int32](repeating: 0, count: count)
        var values = [Float](repeating: 0, count: count)
        data.withUnsafeBytes { raw in
            for index in 0..<count {
                columns[index] = Int32(littleEndian: raw.loadUnaligned(fromByteOffset: index * 4, as: Int32.self))
                values[index] = Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: (count + index) * 4, as: UInt32.self)))
            }
        }
        return (row, columns, values)
    }

    /// A list as `row \t id score id score …` (ids are rows of the whole archive).
    package static func listLine(row: Int, entries: some Sequence<(id: Int32, score: Float)>) -> String {
        var line = "\(row)\t"
        var first = true
        for entry in entries {
            if !first { line += " " }
            first = false
            line += "\(entry.id) \(entry.score)"
        }
        return line
    }

    /// The row and entries of a list line; nil when the line is not one.
    package static func parseList(_ line: Substring) -> (row: Int, entries: [(id: Int32, score: Float)])? {
        guard let tab = line.firstIndex(of: "\t"), let row = Int(line[..<tab]), row >= 0 else { return nil }
        let fields = line[line.index(after: tab)...].split(separator: " ")
        guard fields.count % 2 == 0 else { return nil }
        var entries: [(id: Int32, score: Float)] = []
        entries.reserveCapacity(fields.count / 2)
        for pair in stride(from: 0, to: fields.count, by: 2) {
            guard let id = Int32(fields[pair]), id >= 0, let score = Float(fields[pair + 1]), score.isFinite else { return nil }
            entries.append((id, score))
        }
        return (row, entries)
    }
}

/// Reads a file or standard input line by line in 1 MiB chunks (memory: one chunk plus one line).
package struct LineInput {
    private let handle: FileHandle
    /// What error messages call the input: a path or "standard input".
    package let name: String

    package init(path: String?) throws {
        if let path {
            guard let handle = FileHandle(forReadingAtPath: path) else { throw ShardedBuildError("\(path): cannot open for reading") }
            self.handle = handle
            name = path
        } else {
            handle = FileHandle.standardInput
            name = "standard input"
        }
    }

    /// Calls `body` with every non-empty line (without its line break) and its 1-based number.
    package func forEachLine(_ body: (Substring, Int) throws -> Void) throws {
        var pending = Data()
        var number = 0
        while true {
            let chunk = handle.readData(ofLength: 1 << 20)
            if chunk.isEmpty { break }
            pending.append(chunk)
            var start = pending.startIndex
            while let newline = pending[start...].firstIndex(of: 0x0A) {
                number += 1
                if newline > start { try body(Self.text(pending[start..<newline], name: name, line: number)[...], number) }
                start = newline + 1
            }
            pending = Data(pending[start...])
        }
        if !pending.isEmpty {
            number += 1
            try body(Self.text(pending, name: name, line: number)[...], number)
        }
    }

    private static func text(_ bytes: Data, name: String, line: Int) throws -> String {
        guard let text = String(data: bytes, encoding: .utf8) else { throw ShardedBuildError("\(name): line \(line) is not UTF-8") }
        return text
    }
}

/// Writes lines to a file or standard output through a 1 MiB buffer.
package final class LineOutput {
    private let handle: FileHandle
    private var buffer = Data()

    /// Standard output.
    package init() { handle = FileHandle.standardOutput }

    package init(path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw ShardedBuildError("\(path): cannot create")
        }
        self.handle = handle
    }

    package func write(_ line: String) {
        buffer.append(contentsOf: line.utf8)
        buffer.append(0x0A)
        if buffer.count >= 1 << 20 { flush() }
    }

    package func flush() {
        handle.write(buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    deinit { flush() }
}

/// A sharded-build step's input that does not hold what it should, naming the input and line.
package struct ShardedBuildError: Error, CustomStringConvertible, Sendable {
    package var description: String
    package init(_ description: String) { self.description = description }
}
