import Foundation

/// The JSON Lines rules for cutting bytes into records, shared by the sequential `LineSplitter` and
/// the range reads of `PlainFileRanges`: a line ends at `\n` (a `\r` before it is dropped), the last
/// one may lack it, blank lines (spaces, tabs, `\r`) give no record but are counted, and a line longer
/// than `maxRecordBytes` becomes a `recordTooLarge` record at its line.
struct LineRecords {
    let file: String
    let maxRecordBytes: Int

    /// Appends a record for every non-blank line of `bytes[start..<end]`, numbered from `firstLine`;
    /// returns how many lines there were (blank ones included). O(end − start).
    func cut(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, firstLine: Int,
             into records: inout [RawRecord]) -> Int {
        var lineStart = start
        var line = firstLine
        while lineStart < end {
            let stop = memchr(bytes.baseAddress! + lineStart, 0x0A, end - lineStart)
                .map { UnsafeRawPointer($0).assumingMemoryBound(to: UInt8.self) - bytes.baseAddress! } ?? end
            var length = stop - lineStart
            if length > 0 && bytes[lineStart + length - 1] == 0x0D { length -= 1 }
            if length > maxRecordBytes {
                records.append(tooLarge(line: line, start: lineStart))
            } else if !isBlank(bytes, lineStart, length) {
                records.append(RawRecord(start: lineStart, count: length, line: line))
            }
            line += 1
            lineStart = stop + 1
        }
        return line - firstLine
    }

    /// The record of a line over the size limit (its bytes are not kept).
    func tooLarge(line: Int, start: Int = 0) -> RawRecord {
        RawRecord(start: start, count: 0, line: line, error: CorpusError(
            .recordTooLarge, file: file, line: line, "line is longer than the record size limit of \(maxRecordBytes) bytes"))
    }

    private func isBlank(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ length: Int) -> Bool {
        for index in start..<start + length {
            switch bytes[index] {
            case 0x20, 0x09, 0x0D: continue
            default: return false
            }
        }
        return true
    }
}
