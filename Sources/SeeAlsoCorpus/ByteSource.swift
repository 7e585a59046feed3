import CZlib
import Foundation
import SeeAlsoSupport

/// Sequential bytes of a file, decompressed on the fly when it is gzip.
///
/// zlib's reading side (`ByteSink.swift` holds the writing side). zlib's `gzread` reads gzip files (including concatenated
/// members) and passes plain files through unchanged, so one reader serves both; a `.gz` name is
/// not needed for detection. Memory: one 256 KiB zlib buffer plus the caller's chunk.
final class ByteSource {
    let path: String
    private var handle: gzFile?

    init(path: String) throws {
        self.path = path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw CorpusError(.unreadableFile, file: path, "no such file")
        }
        guard !isDirectory.boolValue else {
            throw CorpusError(.unreadableFile, file: path, "is a directory (use --format folder)")
        }
        guard let opened = gzopen(path, "rb") else {
            throw CorpusError(.unreadableFile, file: path, "cannot open: \(SystemError(path: path, operation: "open").reason)")
        }
        handle = opened
        gzbuffer(opened, 256 * 1024)
    }

    deinit { close() }

    /// Reads up to `capacity` bytes into `buffer`; returns the count, 0 at end of file.
    func read(into buffer: UnsafeMutableRawPointer, capacity: Int) throws -> Int {
        guard let handle else { return 0 }
        let count = gzread(handle, buffer, UInt32(min(capacity, Int(Int32.max))))
        // zlib reports a truncated or corrupt stream through gzerror, sometimes with a count ≥ 0.
        var code: Int32 = Z_OK
        let message = gzerror(handle, &code).map { String(cString: $0) } ?? "read error"
        if count < 0 || (code != Z_OK && code != Z_STREAM_END) {
            throw CorpusError(.unreadableFile, file: path, "cannot read (corrupt or truncated gzip?): \(message)")
        }
        return Int(count)
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
        if let handle { gzclose(handle) }
        handle = nil
    }
}
