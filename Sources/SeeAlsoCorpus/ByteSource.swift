import CZlib
import Foundation
import SeeAlsoSupport

/// Sequential bytes of a file, decompressed on the fly when it is gzip.
///
/// zlib's reading side (`ByteSink.swift` holds the writing side). A file that starts with the gzip
/// magic bytes is inflated member after member (concatenated members are one stream, as `gzip -d`
/// reads them); every member must be whole and checksummed, and anything after the last member that is
/// not another member is an error, as `gzip -t` reports it, never silently dropped. Other files pass
/// through unchanged; a `.gz` name is not needed for detection. Memory: a 256 KiB input buffer.
final class ByteSource {
    let path: String
    private var file: FileDescriptor?
    private var stream = z_stream()
    private var inflating = false
    /// Read but not yet consumed bytes of the file are `input[inputStart...]` (0-based).
    private var input: [UInt8] = []
    private var inputStart = 0
    /// Bytes of the file consumed before `input`, for messages.
    private var consumed = 0
    private var atEndOfFile = false
    /// The file is gzip (else plain bytes).
    private var isGzip = false
    /// The file is a regular file (not a pipe or device).
    private var isRegularFile = false
    private var finished = false

    init(path: String) throws {
        self.path = path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw CorpusError(.unreadableFile, file: path, "no such file")
        }
        guard !isDirectory.boolValue else {
            throw CorpusError(.unreadableFile, file: path, "is a directory (use --input-format folder)")
        }
        do {
            file = try FileDescriptor.open(path, .readOnly)
            isRegularFile = try file!.isRegularFile()
        } catch let error as SystemError {
            throw CorpusError(.unreadableFile, file: path, "cannot open: \(error.reason)")
        }
        try fill()
        isGzip = input.count >= 2 && input[input.startIndex] == 0x1F && input[input.startIndex + 1] == 0x8B
        if isGzip { try startMember() }
    }

    deinit { close() }

    /// Whether the file is plain bytes that can be read at any offset (not gzip, not a pipe):
    /// such a file can be read in parallel ranges (`PlainFileRanges`).
    var isPlainRegularFile: Bool { isRegularFile && !isGzip }

    /// Reads up to `capacity` bytes into `buffer`; returns the count, 0 at end of file.
    func read(into buffer: UnsafeMutableRawPointer, capacity: Int) throws -> Int {
        guard file != nil, !finished, capacity > 0 else { return 0 }
        guard isGzip else { return try readPlain(into: buffer, capacity: capacity) }
        while true {
            if inputStart == input.count && !atEndOfFile { try fill() }
            let available = input.count - inputStart
            let (status, produced, used) = input.withUnsafeMutableBytes { bytes -> (Int32, Int, Int) in
                stream.next_in = bytes.baseAddress.map { $0.assumingMemoryBound(to: UInt8.self) + inputStart }
                stream.avail_in = UInt32(available)
                stream.next_out = buffer.assumingMemoryBound(to: UInt8.self)
                stream.avail_out = UInt32(min(capacity, Int(UInt32.max)))
                let status = inflate(&stream, Z_NO_FLUSH)
                return (status, min(capacity, Int(UInt32.max)) - Int(stream.avail_out), available - Int(stream.avail_in))
            }
            inputStart += used
            switch status {
            case Z_STREAM_END:
                try nextMember()
                if produced > 0 || finished { return produced }
            case Z_OK:
                if produced > 0 { return produced }
            case Z_BUF_ERROR where available == 0 && atEndOfFile:
                throw damage("truncated: the file ends inside a gzip member")
            case Z_BUF_ERROR:
                if produced > 0 { return produced }
            default:
                throw damage(stream.msg.map { String(cString: $0) } ?? "zlib status \(status)")
            }
        }
    }

    /// After a member's end: another member follows (inflate it), or the file ends, or bytes that are
    /// not a member follow (an error).
    private func nextMember() throws {
        if inputStart == input.count && !atEndOfFile { try fill() }
        if inputStart == input.count && atEndOfFile {
            finished = true
            return
        }
        if input.count - inputStart < 2 && !atEndOfFile { try fill() }
        guard input.count - inputStart >= 2, input[input.startIndex + inputStart] == 0x1F, input[input.startIndex + inputStart + 1] == 0x8B else {
            throw damage("\(trailingCount()) bytes after the last gzip member are not gzip data (trailing garbage)")
        }
        inflateEnd(&stream)
        inflating = false
        try startMember()
    }

    private func startMember() throws {
        stream = z_stream()
        // windowBits 15 + 16: gzip framing only, one member per stream.
        let status = inflateInit2_(&stream, 15 + 16, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else { throw damage("cannot start gzip decompression (zlib status \(status))") }
        inflating = true
    }

    /// Plain bytes: from `input` while it holds some, else straight from the file into `buffer` when
    /// it is large (no copy), else through `input`.
    private func readPlain(into buffer: UnsafeMutableRawPointer, capacity: Int) throws -> Int {
        if inputStart == input.count {
            if atEndOfFile { return 0 }
            if capacity >= ByteSource.readSize, let file {
                consumed += input.count
                input.removeAll(keepingCapacity: true)
                inputStart = 0
                let count = try ByteSource.read(file, into: UnsafeMutableRawBufferPointer(start: buffer, count: capacity), path: path)
                consumed += count
                if count == 0 { atEndOfFile = true }
                return count
            }
            try fill()
            if inputStart == input.count { return 0 }
        }
        let count = min(capacity, input.count - inputStart)
        input.withUnsafeBytes { buffer.copyMemory(from: $0.baseAddress! + inputStart, byteCount: count) }
        inputStart += count
        return count
    }

    /// Reads the next 256 KiB of the file behind the unread rest of `input` (moved to the front).
    private func fill() throws {
        guard let file, !atEndOfFile else { return }
        let unread = input.count - inputStart
        var count = 0
        input = try [UInt8](unsafeUninitializedCapacity: unread + ByteSource.readSize) { buffer, initialized in
            if unread > 0 {
                input.withUnsafeBufferPointer { old in buffer.baseAddress!.initialize(from: old.baseAddress! + inputStart, count: unread) }
            }
            initialized = unread
            count = try ByteSource.read(file, into: UnsafeMutableRawBufferPointer(start: buffer.baseAddress! + unread,
                                                                                   count: ByteSource.readSize), path: path)
            initialized = unread + count
        }
        consumed += inputStart
        inputStart = 0
        if count == 0 { atEndOfFile = true }
    }

    private static let readSize = 256 * 1024

    private static func read(_ file: FileDescriptor, into buffer: UnsafeMutableRawBufferPointer, path: String) throws -> Int {
        do {
            return try file.read(into: buffer)
        } catch let error as SystemError {
            throw CorpusError(.unreadableFile, file: path, "cannot read: \(error.reason)")
        }
    }

    /// Bytes left in the file from the current position (for the trailing-data message).
    private func trailingCount() -> Int {
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
        return (size ?? (consumed + input.count)) - (consumed + inputStart)
    }

    private func damage(_ reason: String) -> CorpusError {
        CorpusError(.unreadableFile, file: path, "corrupt gzip at byte \(consumed + inputStart): \(reason)")
    }

    /// Reads the whole remaining content (for small files such as one article of a folder).
    func readAll(limit: Int) throws -> [UInt8] {
        var content: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = try chunk.withUnsafeMutableBytes { try read(into: $0.baseAddress!, capacity: $0.count) }
            if count == 0 { break }
            content.append(contentsOf: chunk[0..<count])
            if content.count > limit {
                throw CorpusError(.recordTooLarge, file: path, line: 1, "file exceeds the record size limit of \(limit) bytes")
            }
        }
        return content
    }

    func close() {
        if inflating { inflateEnd(&stream) }
        inflating = false
        try? file?.close()
        file = nil
    }
}
