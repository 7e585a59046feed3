import Foundation
import SeeAlsoSupport

/// A plain (uncompressed, regular) JSON Lines file cut into byte ranges that workers read and cut
/// into lines on their own, in parallel: positional reads (pread) of one shared descriptor.
///
/// With nl(x) the position of the first `\n` at or after byte x (the file's end when there is none),
/// range k covers the bytes nl(k·R) + 1 ..< nl((k+1)·R) + 1, R = `rangeBytes`; range 0 starts at the
/// file's start (after a UTF-8 byte-order mark). Both ends are line starts, so the ranges in order
/// hold every line once, in input order. A range numbers its lines from 1 and reports how many it
/// holds; `CorpusValidator` makes the numbers absolute in input order. Reading range k costs
/// O(R + the length of the line that crosses its end); a crossing line over the record limit is
/// scanned to its end but not kept.
final class PlainFileRanges: Sendable {
    /// Number of ranges: ⌈size / R⌉.
    let count: Int
    private let file: FileDescriptor
    private let size: Int
    private let rangeBytes: Int
    /// 3 when the file starts with a UTF-8 byte-order mark, else 0.
    private let contentStart: Int
    private let lines: LineRecords

    init(path: String, maxRecordBytes: Int, rangeBytes: Int) throws {
        self.rangeBytes = max(1, rangeBytes)
        lines = LineRecords(file: path, maxRecordBytes: maxRecordBytes)
        do {
            file = try FileDescriptor.open(path, .readOnly)
            size = try file.size()
        } catch let error as SystemError {
            throw CorpusError(.unreadableFile, file: path, "cannot open: \(error.reason)")
        }
        count = (size + self.rangeBytes - 1) / self.rangeBytes
        contentStart = try Self.read(file, at: 0, count: min(3, size)) == [0xEF, 0xBB, 0xBF] ? 3 : 0
    }

    deinit { try? file.close() }

    /// Range `index` read and cut into records, lines numbered from 1 (`sequence` and `source` label
    /// the batch), and how many lines it holds, blank ones included.
    func batch(_ index: Int, sequence: Int, source: Int) throws -> (batch: RecordBatch, lineCount: Int) {
        let start = index * rangeBytes
        let end = min(size, start + rangeBytes)
        var bytes = try read(at: start, count: end - start)
        let first: Int
        if index == 0 {
            first = contentStart
        } else if let newline = Self.firstNewline(in: bytes) {
            first = newline + 1
        } else {
            // A line crosses the whole range: the range that holds its start owns it.
            return (RecordBatch(sequence: sequence, source: source, bytes: [], records: []), 0)
        }
        var tooLong = false
        if end < size {
            (bytes, tooLong) = try extend(bytes, ownedFrom: first, fileOffset: start)
        }
        var records: [RawRecord] = []
        var lineCount = bytes.withUnsafeBufferPointer {
            lines.cut($0, from: min(first, $0.count), to: $0.count, firstLine: 1, into: &records)
        }
        if tooLong {
            lineCount += 1
            records.append(lines.tooLarge(line: lineCount))
        }
        return (RecordBatch(sequence: sequence, source: source, bytes: bytes, records: records), lineCount)
    }

    /// Appends the bytes after the range (which starts at `fileOffset`) up to and including the first
    /// `\n`, or to the file's end. When the line that crosses the range's end grows past the record
    /// limit, it is dropped from `bytes` and only scanned for its end (`tooLong`).
    private func extend(_ range: [UInt8], ownedFrom first: Int, fileOffset: Int) throws -> (bytes: [UInt8], tooLong: Bool) {
        var bytes = range
        let crossingLineStart = max(first, bytes.lastIndex(of: 0x0A).map { $0 + 1 } ?? first)
        var position = fileOffset + bytes.count
        var chunkBytes = 16 << 10
        var tooLong = false
        while position < size {
            let chunk = try read(at: position, count: min(chunkBytes, size - position))
            if chunk.isEmpty { break }
            let newline = Self.firstNewline(in: chunk)
            if !tooLong { bytes.append(contentsOf: chunk[..<(newline.map { $0 + 1 } ?? chunk.count)]) }
            if newline != nil { break }
            // Over the limit even if the line ends in "\r\n".
            if !tooLong && bytes.count - crossingLineStart > lines.maxRecordBytes + 1 {
                tooLong = true
                bytes.removeSubrange(crossingLineStart...)
            }
            position += chunk.count
            chunkBytes = min(2 * chunkBytes, 1 << 20)
        }
        return (bytes, tooLong)
    }

    private func read(at offset: Int, count: Int) throws -> [UInt8] {
        try Self.read(file, at: offset, count: count)
    }

    /// Up to `count` bytes of `file` from `offset` (fewer only when the file shrank).
    private static func read(_ file: FileDescriptor, at offset: Int, count: Int) throws -> [UInt8] {
        do {
            return try [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
                let raw = UnsafeMutableRawBufferPointer(buffer)
                while initialized < count {
                    let got = try file.read(into: UnsafeMutableRawBufferPointer(rebasing: raw[initialized...]), at: offset + initialized)
                    if got == 0 { break }
                    initialized += got
                }
            }
        } catch let error as SystemError {
            throw CorpusError(.unreadableFile, file: file.path, "cannot read: \(error.reason)")
        }
    }

    private static func firstNewline(in bytes: [UInt8]) -> Int? {
        bytes.withUnsafeBytes { raw in
            guard !raw.isEmpty, let found = memchr(raw.baseAddress!, 0x0A, raw.count) else { return nil }
            return UnsafeRawPointer(found) - raw.baseAddress!
        }
    }
}
