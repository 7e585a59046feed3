import Foundation

/// Cuts a byte stream into batches of complete lines (JSON Lines), in constant memory.
///
/// A line longer than the record limit is not buffered: it is skipped up to its newline and
/// reported as a `recordTooLarge` record at its line. A UTF-8 byte-order mark at the start is
/// dropped, `\r\n` endings are accepted, and blank lines are skipped (but counted for line numbers).
final class LineSplitter {
    private let source: ByteSource
    private let maxRecordBytes: Int
    private let targetBatchBytes: Int
    private let lines: LineRecords
    private var carry: [UInt8] = []
    private var nextLine = 1
    private var endOfInput = false
    private var atStart = true
    private var sequence = 0
    private var chunk: [UInt8]

    init(source: ByteSource, maxRecordBytes: Int, targetBatchBytes: Int) {
        self.source = source
        self.maxRecordBytes = maxRecordBytes
        self.targetBatchBytes = targetBatchBytes
        lines = LineRecords(file: source.path, maxRecordBytes: maxRecordBytes)
        chunk = [UInt8](repeating: 0, count: max(64 * 1024, min(targetBatchBytes, 4 << 20)))
    }

    func nextBatch() throws -> RecordBatch? {
        var buffer: [UInt8] = []
        // Room for the target plus one read, so that filling never reallocates and copies the batch.
        buffer.reserveCapacity(carry.count + targetBatchBytes + chunk.count)
        buffer.append(contentsOf: carry)
        carry = []
        var records: [RawRecord] = []
        var oversizeLines: [Int] = []
        // Fill until the buffer holds at least the target and a newline, or the input ends.
        while !endOfInput && (buffer.count < targetBatchBytes || lastNewline(in: buffer) == nil) {
            let count = try chunk.withUnsafeMutableBytes { try source.read(into: $0.baseAddress!, capacity: $0.count) }
            if count == 0 { endOfInput = true; break }
            var slice = chunk[0..<count]
            if atStart {
                atStart = false
                if slice.starts(with: [0xEF, 0xBB, 0xBF]) { slice = slice.dropFirst(3) }
            }
            buffer.append(contentsOf: slice)
            if lastNewline(in: buffer) == nil && buffer.count > maxRecordBytes {
                // One line already over the limit: drop it up to its newline.
                oversizeLines.append(nextLine)
                buffer = try skipRestOfLine(after: buffer)
            }
        }
        let complete: Int
        if let newline = lastNewline(in: buffer) {
            complete = newline + 1
        } else {
            complete = endOfInput ? buffer.count : 0
        }
        if complete < buffer.count { carry = Array(buffer[complete...]) }
        records += oversizeLines.map { lines.tooLarge(line: $0) }
        let firstLine = nextLine
        nextLine += buffer.withUnsafeBufferPointer { lines.cut($0, from: 0, to: complete, firstLine: firstLine, into: &records) }
        if records.isEmpty && endOfInput && carry.isEmpty { return nil }
        defer { sequence += 1 }
        return RecordBatch(sequence: sequence, bytes: buffer, records: records)
    }

    /// Reads and drops bytes until the newline that ends the current line; returns what follows it.
    private func skipRestOfLine(after buffer: [UInt8]) throws -> [UInt8] {
        var pending = buffer
        while true {
            if let newline = pending.firstIndex(of: 0x0A) {
                nextLine += 1
                return Array(pending[(newline + 1)...])
            }
            let count = try chunk.withUnsafeMutableBytes { try source.read(into: $0.baseAddress!, capacity: $0.count) }
            if count == 0 { endOfInput = true; nextLine += 1; return [] }
            pending = Array(chunk[0..<count])
        }
    }

    private func lastNewline(in buffer: [UInt8]) -> Int? {
        buffer.withUnsafeBufferPointer { bytes in
            var index = bytes.count - 1
            while index >= 0 {
                if bytes[index] == 0x0A { return index }
                index -= 1
            }
            return nil
        }
    }
}
