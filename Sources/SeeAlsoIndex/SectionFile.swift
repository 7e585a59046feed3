import Foundation
import SeeAlsoSupport

/// SeeAlso's binary container: a header, a table of named sections, and the sections' payloads
/// (arrays of fixed-size little-endian elements), each aligned to 64 bytes so that a memory map
/// can be read in place as typed arrays.
///
/// Layout (version 1): 64-byte header — magic `SEEALSO1`, an 8-byte kind tag, UInt32 version,
/// UInt32 section count, UInt64 table offset — then 64-byte table entries — a 40-byte name,
/// UInt32 element size, UInt32 reserved, UInt64 payload offset, UInt64 element count — then the
/// payloads. Integrity is checked by a whole-file CRC-32 kept in the index manifest.
enum SectionFile {
    static let magic = Array("SEEALSO1".utf8)
    static let version: UInt32 = 1
    static let headerSize = 64
    static let entrySize = 64
    static let nameSize = 40
    static let alignment = 64
}

/// Collects sections, then writes the file in one pass and returns its size and CRC-32.
final class SectionFileWriter {
    private struct Section {
        var name: String
        var elementSize: Int
        var count: Int
        var write: (FileDescriptor, inout UInt32) throws -> Void
    }

    let kind: String
    private var sections: [Section] = []

    init(kind: String) { self.kind = kind }

    /// Adds an array of plain values (integers, floats) as a section.
    func add<Element: BitwiseCopyable>(_ name: String, _ values: [Element]) {
        sections.append(Section(name: name, elementSize: MemoryLayout<Element>.stride, count: values.count) { file, crc in
            try values.withUnsafeBytes { bytes in
                try SectionFileWriter.writeChunked(bytes, to: file, crc: &crc)
            }
        })
    }

    /// Adds the concatenation of `chunks` as one byte section, without joining them in memory.
    func add(_ name: String, chunks: [[UInt8]]) {
        sections.append(Section(name: name, elementSize: 1, count: chunks.reduce(0) { $0 + $1.count }) { file, crc in
            for chunk in chunks {
                try chunk.withUnsafeBytes { try SectionFileWriter.writeChunked($0, to: file, crc: &crc) }
            }
        })
    }

    /// Adds a section of `count` values of `Element` whose bytes `produce` passes to its `emit` argument
    /// in pieces while the file is written, so that the whole section is never held in memory at once.
    func add<Element: BitwiseCopyable>(_ name: String, count: Int, of type: Element.Type,
                                       produce: @escaping (_ emit: (UnsafeRawBufferPointer) throws -> Void) throws -> Void) {
        let size = MemoryLayout<Element>.stride
        sections.append(Section(name: name, elementSize: size, count: count) { file, crc in
            var emitted = 0
            try produce { piece in
                emitted += piece.count
                precondition(emitted <= count * size, "SectionFileWriter: section \(name) produced more than \(count) values")
                try SectionFileWriter.writeChunked(piece, to: file, crc: &crc)
            }
            precondition(emitted == count * size, "SectionFileWriter: section \(name) produced \(emitted / size) of its \(count) values")
        })
    }

    /// Adds the first `count` bytes of the file at `path` as one byte section, copied in 64 MiB chunks
    /// when the file is written (memory: one chunk, not the file).
    func add(_ name: String, bytesOfFile path: String, count: Int) {
        sections.append(Section(name: name, elementSize: 1, count: count) { file, crc in
            let source = try FileDescriptor.open(path, .readOnly)
            defer { try? source.close() }
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: min(max(count, 1), 64 << 20), alignment: 64)
            defer { buffer.deallocate() }
            var left = count
            while left > 0 {
                let read = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<min(left, buffer.count)]))
                guard read > 0 else { throw SystemError(path: path, operation: "read (file shorter than \(count) bytes)") }
                try SectionFileWriter.writeChunked(UnsafeRawBufferPointer(rebasing: buffer[0..<read]), to: file, crc: &crc)
                left -= read
            }
        })
    }

    /// Adds a string table: `<name>.offsets` (Int64, count + 1) and `<name>.bytes` (UTF-8).
    func addStrings(_ name: String, _ strings: [String]) {
        var offsets: [Int64] = [0]
        offsets.reserveCapacity(strings.count + 1)
        var bytes: [UInt8] = []
        for string in strings {
            bytes.append(contentsOf: string.utf8)
            offsets.append(Int64(bytes.count))
        }
        add(name + ".offsets", offsets)
        add(name + ".bytes", bytes)
    }

    /// Writes the file (not atomically: callers write into a not-yet-published generation folder)
    /// and fsyncs it. Returns (bytes, CRC-32 of the whole file).
    func write(to path: String) throws -> (bytes: Int, crc32: UInt32) {
        try FileDescriptor.writeSynced(path) { try write(to: $0) }
    }

    private func write(to handle: FileDescriptor) throws -> (bytes: Int, crc32: UInt32) {
        var offset = SectionFile.headerSize + sections.count * SectionFile.entrySize
        var entries: [(Section, Int)] = []
        for section in sections {
            offset = (offset + SectionFile.alignment - 1) / SectionFile.alignment * SectionFile.alignment
            entries.append((section, offset))
            offset += section.elementSize * section.count
        }
        var header = [UInt8](repeating: 0, count: SectionFile.headerSize + sections.count * SectionFile.entrySize)
        header.replaceSubrange(0..<8, with: SectionFile.magic)
        let kindBytes = Array(kind.utf8.prefix(8))
        header.replaceSubrange(8..<8 + kindBytes.count, with: kindBytes)
        store(SectionFile.version, into: &header, at: 16)
        store(UInt32(sections.count), into: &header, at: 20)
        store(UInt64(SectionFile.headerSize), into: &header, at: 24)
        for (index, (section, payloadOffset)) in entries.enumerated() {
            let base = SectionFile.headerSize + index * SectionFile.entrySize
            let name = Array(section.name.utf8.prefix(SectionFile.nameSize))
            header.replaceSubrange(base..<base + name.count, with: name)
            store(UInt32(section.elementSize), into: &header, at: base + 40)
            store(UInt64(payloadOffset), into: &header, at: base + 48)
            store(UInt64(section.count), into: &header, at: base + 56)
        }
        var crc: UInt32 = 0
        var position = 0
        try header.withUnsafeBytes { try SectionFileWriter.writeChunked($0, to: handle, crc: &crc) }
        position = header.count
        for (section, payloadOffset) in entries {
            if payloadOffset > position {
                let padding = [UInt8](repeating: 0, count: payloadOffset - position)
                try padding.withUnsafeBytes { try SectionFileWriter.writeChunked($0, to: handle, crc: &crc) }
            }
            try section.write(handle, &crc)
            position = payloadOffset + section.elementSize * section.count
        }
        return (position, crc)
    }

    private func store<T: FixedWidthInteger>(_ value: T, into bytes: inout [UInt8], at offset: Int) {
        withUnsafeBytes(of: value.littleEndian) { bytes.replaceSubrange(offset..<offset + MemoryLayout<T>.size, with: $0) }
    }

    fileprivate static func writeChunked(_ bytes: UnsafeRawBufferPointer, to file: FileDescriptor, crc: inout UInt32) throws {
        var offset = 0
        while offset < bytes.count {
            let length = min(bytes.count - offset, 64 << 20)
            let chunk = UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + length])
            crc = CRC32.checksum(chunk, continuing: crc)
            try file.writeAll(chunk)
            offset += length
        }
    }
}

/// A section file opened by memory map; sections are read in place.
final class SectionFileReader: @unchecked Sendable {
    let path: String
    let kind: String
    private let file: MappedFile
    private var sections: [String: (offset: Int, elementSize: Int, count: Int)] = [:]

    /// Maps the file and reads its section table. With `expectedBytes` and `expectedCRC32` (from the
    /// manifest) the size and the whole-file checksum are compared before any byte of the table is
    /// trusted; either way every offset and count is range-checked without overflow, so no byte pattern
    /// can trap or point outside the file.
    init(path: String, expectedKind: String, expectedBytes: Int? = nil, expectedCRC32: UInt32? = nil) throws {
        self.path = path
        file = try MappedFile(path: path)
        let bytes = file.bytes
        if let expectedBytes, bytes.count != expectedBytes {
            throw IndexError.corrupt(path: path, reason: "\(bytes.count) bytes, the manifest says \(expectedBytes) (truncated or replaced)")
        }
        if let expectedCRC32 {
            let crc = CRC32.checksum(bytes)
            guard crc == expectedCRC32 else {
                throw IndexError.corrupt(path: path, reason: String(format: "checksum mismatch (CRC-32 %08x, manifest %08x)", crc, expectedCRC32))
            }
        }
        guard bytes.count >= SectionFile.headerSize, Array(bytes[0..<8]) == SectionFile.magic else {
            throw IndexError.corrupt(path: path, reason: "not a SeeAlso index file (bad magic)")
        }
        kind = String(decoding: bytes[8..<16].prefix { $0 != 0 }, as: UTF8.self)
        guard kind == expectedKind else {
            throw IndexError.corrupt(path: path, reason: "holds '\(kind)', expected '\(expectedKind)'")
        }
        let version = bytes.loadUnaligned(fromByteOffset: 16, as: UInt32.self).littleEndian
        guard version <= SectionFile.version else {
            throw IndexError.newerFormat(path: path, version: Int(version), writtenBy: nil, readable: Int(SectionFile.version))
        }
        /// `start + size × count` when it fits in the file, else nil (overflow included).
        func end(_ start: UInt64, _ size: Int, _ count: UInt64) -> Int? {
            guard let start = Int(exactly: start), let count = Int(exactly: count) else { return nil }
            let (length, overflow) = size.multipliedReportingOverflow(by: count)
            let (last, past) = start.addingReportingOverflow(length)
            return overflow || past || start < 0 || last > bytes.count ? nil : last
        }
        let count = Int(bytes.loadUnaligned(fromByteOffset: 20, as: UInt32.self).littleEndian)
        let tableOffset = bytes.loadUnaligned(fromByteOffset: 24, as: UInt64.self).littleEndian
        guard let table = Int(exactly: tableOffset), end(tableOffset, SectionFile.entrySize, UInt64(count)) != nil else {
            throw IndexError.corrupt(path: path, reason: "section table beyond the end of the file (truncated?)")
        }
        for index in 0..<count {
            let base = table + index * SectionFile.entrySize
            let name = String(decoding: bytes[base..<base + SectionFile.nameSize].prefix { $0 != 0 }, as: UTF8.self)
            let elementSize = Int(bytes.loadUnaligned(fromByteOffset: base + 40, as: UInt32.self).littleEndian)
            let offset = bytes.loadUnaligned(fromByteOffset: base + 48, as: UInt64.self).littleEndian
            let elements = bytes.loadUnaligned(fromByteOffset: base + 56, as: UInt64.self).littleEndian
            guard offset % UInt64(SectionFile.alignment) == 0, end(offset, elementSize, elements) != nil else {
                throw IndexError.corrupt(path: path, reason: "section '\(name)' lies beyond the end of the file (truncated?)")
            }
            sections[name] = (Int(offset), elementSize, Int(elements))
        }
    }

    var byteCount: Int { file.bytes.count }

    /// A section as a typed buffer, read in place.
    func array<Element: BitwiseCopyable>(_ name: String, as type: Element.Type = Element.self) throws -> UnsafeBufferPointer<Element> {
        guard let section = sections[name] else {
            throw IndexError.corrupt(path: path, reason: "missing section '\(name)'")
        }
        guard section.elementSize == MemoryLayout<Element>.stride else {
            throw IndexError.corrupt(path: path, reason: "section '\(name)' has \(section.elementSize)-byte elements, expected \(MemoryLayout<Element>.stride)")
        }
        guard section.count > 0 else { return UnsafeBufferPointer(start: nil, count: 0) }
        let start = file.bytes.baseAddress!.advanced(by: section.offset).assumingMemoryBound(to: Element.self)
        return UnsafeBufferPointer(start: start, count: section.count)
    }

    /// A string table, checked once (offsets start at 0, never decrease, end at the bytes' count) so
    /// that no lookup reads outside it. O(count).
    func strings(_ name: String) throws -> StringTable {
        let offsets: UnsafeBufferPointer<Int64> = try array(name + ".offsets")
        let bytes: UnsafeBufferPointer<UInt8> = try array(name + ".bytes")
        guard offsets.first == 0, offsets.last == Int64(bytes.count), zip(offsets, offsets.dropFirst()).allSatisfy({ $0 <= $1 }) else {
            throw IndexError.corrupt(path: path, reason: "string table '\(name)': offsets out of order or past its \(bytes.count) bytes")
        }
        return StringTable(offsets: offsets, bytes: bytes, owner: self)
    }

    func has(_ name: String) -> Bool { sections[name] != nil }

    /// Whether the file holds the string table `name` (or a part of it).
    func hasStrings(_ name: String) -> Bool { has(name + ".offsets") || has(name + ".bytes") }
}

/// A table of strings read in place from a section file.
struct StringTable: @unchecked Sendable {
    let offsets: UnsafeBufferPointer<Int64>
    let bytes: UnsafeBufferPointer<UInt8>
    let owner: SectionFileReader

    var count: Int { max(0, offsets.count - 1) }

    subscript(index: Int) -> String {
        String(decoding: utf8(index), as: UTF8.self)
    }

    func utf8(_ index: Int) -> UnsafeBufferPointer<UInt8> {
        let start = Int(offsets[index])
        let end = Int(offsets[index + 1])
        return UnsafeBufferPointer(rebasing: bytes[start..<end])
    }

    /// The index of the string equal to `key` (bytes), by binary search over the strings in byte order:
    /// the table itself when `order` is nil, else the table permuted by `order`. O(log count).
    func search(_ key: UnsafeBufferPointer<UInt8>, order: UnsafeBufferPointer<Int32>?) -> Int? {
        func at(_ position: Int) -> Int { order.map { Int($0[position]) } ?? position }
        var low = 0
        var high = count
        while low < high {
            let middle = (low + high) / 2
            if utf8(at(middle)).lexicographicallyPrecedes(key) { low = middle + 1 } else { high = middle }
        }
        guard low < count, utf8(at(low)).elementsEqual(key) else { return nil }
        return at(low)
    }
}

extension FileDescriptor {
    /// Creates (or truncates) `path`, lets `body` write it, then syncs and closes it; a failed system call
    /// becomes an `IndexError` naming the file. For the files of a generation folder being filled.
    static func writeSynced<Result>(_ path: String, _ body: (FileDescriptor) throws -> Result) throws -> Result {
        do {
            let file = try FileDescriptor.open(path, .createTruncate)
            defer { try? file.close() }
            let result = try body(file)
            try file.sync()
            return result
        } catch let error as SystemError {
            throw IndexError(error)
        }
    }
}

/// Why an index could not be written or read.
public enum IndexError: Error, CustomStringConvertible {
    package init(_ error: SystemError) {
        self = .io(path: error.path, reason: "cannot \(error.operation): \(error.reason)")
    }

    case io(path: String, reason: String)
    case corrupt(path: String, reason: String)
    case notAnIndex(path: String, reason: String)
    case unknownArticle(id: String)
    case busy(path: String, waitedSeconds: Double)
    case invalid(String)
    /// Written by a later release in a format version this one cannot read (not damage).
    case newerFormat(path: String, version: Int, writtenBy: String?, readable: Int)

    public var description: String {
        switch self {
        case .io(let path, let reason): return "\(path): \(reason)"
        case .corrupt(let path, let reason): return "\(path): corrupt index: \(reason)"
        case .notAnIndex(let path, let reason): return "\(path): not a SeeAlso index: \(reason)"
        case .unknownArticle(let id): return "no article with id \"\(id)\" in the index"
        case .busy(let path, let waited):
            return "\(path): another seealso process held the writer lock (LOCK) for all of the \(String(format: "%.1f", waited)) s "
                + "waited; nothing was written. Try again when it is done, or wait longer with --wait SECONDS"
        case .invalid(let message): return message
        case .newerFormat(let path, let version, let writtenBy, let readable):
            return "\(path): written in index format \(version)" + (writtenBy.map { " by \($0)" } ?? " by a newer release")
                + "; this seealso \(SeeAlsoVersion.current) reads formats up to \(readable): upgrade seealso (the index is not damaged)"
        }
    }
}
