import CZlib
import SeeAlsoSupport

/// Why an output file could not be written.
public struct OutputFileError: Error, CustomStringConvertible, Sendable {
    package var path: String
    package var reason: String

    package init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    /// A failed system call on the output's file (its temporary or the target): "cannot OPERATION FILE: REASON".
    package init(path: String, _ error: SystemError) {
        self.init(path: path, reason: "cannot \(error.operation) \(error.path): \(error.reason)")
    }

    public var description: String { "\(path): \(reason)" }
}

/// An output file written atomically (`AtomicFileWriter`: a temporary beside the target, synced and
/// renamed over it by `commit()`; released without it, the partial file is removed, so readers never
/// see a partial archive), gzip-compressed on the fly when its name ends in `.gz`.
///
/// Gzip output goes through one deflate stream (gzip framing, no file name, modification time 0, so
/// equal input gives byte-identical files) into a 1 MiB output buffer. Levels 1–3 are the fast ones
/// (level 1 compresses news text about 3:1 at well over 50 MB/s on one core).
///
/// Not thread-safe: one writer per thread.
package final class OutputFile {
    package let path: String
    package let isGzip: Bool
    /// Bytes handed to `write` so far (before any compression).
    package private(set) var bytesWritten = 0
    /// Bytes on disk so far: compressed size for gzip, else `bytesWritten`.
    package var storedBytes: Int { file.byteCount }

    private static let bufferSize = 1 << 20
    private let file: AtomicFileWriter
    private var stream = z_stream()
    private var buffer: UnsafeMutablePointer<UInt8>?
    private var streamOpen = false

    /// Opens `path`; `gzipLevel` is zlib's 1 (fastest) … 9 (smallest) and applies to `.gz` names.
    package init(path: String, gzipLevel: Int = 1) throws {
        self.path = path
        isGzip = path.lowercased().hasSuffix(".gz")
        if isGzip {
            guard (1...9).contains(gzipLevel) else {
                throw OutputFileError(path: path, reason: "gzip level \(gzipLevel) is not in 1…9")
            }
        }
        do {
            file = try AtomicFileWriter(path: path)
        } catch let error as SystemError {
            throw OutputFileError(path: path, error)
        }
        guard isGzip else { return }
        // windowBits 15 + 16 asks for gzip framing; memLevel 8 is zlib's default.
        let status = deflateInit2_(&stream, Int32(gzipLevel), Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY,
                                   ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            throw OutputFileError(path: path, reason: "cannot start gzip compression (zlib status \(status))")
        }
        buffer = .allocate(capacity: Self.bufferSize)
        streamOpen = true
    }

    deinit {
        if streamOpen { deflateEnd(&stream) }
        buffer?.deallocate()
    }

    /// Appends `bytes` (compressing them for gzip).
    package func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard !bytes.isEmpty else { return }
        bytesWritten += bytes.count
        guard isGzip else { return try writeFile(bytes) }
        guard streamOpen else { throw OutputFileError(path: path, reason: "write after commit") }
        // zlib counts input in UInt32; feed very large writes in slices.
        var offset = 0
        while offset < bytes.count {
            let count = min(bytes.count - offset, 1 << 30)
            stream.next_in = UnsafeMutablePointer(mutating: bytes.baseAddress!.advanced(by: offset)
                .assumingMemoryBound(to: UInt8.self))
            stream.avail_in = UInt32(count)
            try deflateLoop(flush: Z_NO_FLUSH)
            offset += count
        }
    }

    /// Appends `bytes`.
    package func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }

    /// Finishes the gzip stream, then syncs the file and renames it into place.
    package func commit() throws {
        if isGzip {
            guard streamOpen else { throw OutputFileError(path: path, reason: "commit called twice") }
            stream.next_in = nil
            stream.avail_in = 0
            try deflateLoop(flush: Z_FINISH)
            deflateEnd(&stream)
            streamOpen = false
        }
        do {
            try file.commit()
        } catch let error as SystemError {
            throw OutputFileError(path: path, error)
        }
    }

    /// Runs deflate until it has consumed all input (and, for `Z_FINISH`, ended the stream),
    /// writing each full output buffer.
    private func deflateLoop(flush: Int32) throws {
        while true {
            stream.next_out = buffer
            stream.avail_out = UInt32(Self.bufferSize)
            let status = deflate(&stream, flush)
            guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else {
                throw OutputFileError(path: path, reason: "gzip compression failed (zlib status \(status))")
            }
            let produced = Self.bufferSize - Int(stream.avail_out)
            try writeFile(UnsafeRawBufferPointer(start: buffer, count: produced))
            if flush == Z_FINISH {
                if status == Z_STREAM_END { return }
            } else if stream.avail_in == 0 && stream.avail_out != 0 {
                return
            }
        }
    }

    private func writeFile(_ bytes: UnsafeRawBufferPointer) throws {
        do {
            try file.write(bytes)
        } catch let error as SystemError {
            throw OutputFileError(path: path, error)
        }
    }
}
