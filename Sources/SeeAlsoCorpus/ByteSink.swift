import CZlib
import Foundation
import SeeAlsoSupport

/// Why an output file could not be written.
public struct OutputFileError: Error, CustomStringConvertible, Sendable {
    public var path: String
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "\(path): \(reason)" }
}

/// Writes a gzip file atomically, compressing on the fly with zlib's deflate.
///
/// The counterpart of `ByteSource`: bytes go through one deflate stream (gzip framing, no file
/// name, modification time 0, so equal input gives byte-identical files) into a 1 MiB output
/// buffer that is written to a temporary file beside the target. `commit()` finishes the stream,
/// syncs the file to disk and renames it over the target; a writer released without `commit()`
/// removes its temporary file, so readers never see a partial archive. Levels 1–3 are the fast
/// ones (level 1 compresses news text about 3:1 at well over 50 MB/s on one core).
///
/// Not thread-safe: one writer per thread.
public final class GzipWriter {
    public let path: String
    public let temporaryPath: String
    public let level: Int
    /// Bytes handed to `write` so far (before compression).
    public private(set) var uncompressedBytes = 0
    /// Bytes written to the file so far (after compression).
    public private(set) var compressedBytes = 0

    private static let bufferSize = 1 << 20
    private var stream = z_stream()
    private var descriptor: Int32 = -1
    private let buffer: UnsafeMutablePointer<UInt8>
    private var streamOpen = false
    private var committed = false

    /// Creates the temporary file and the deflate stream. `level` is zlib's 1 (fastest) … 9 (smallest).
    public init(path: String, level: Int = 1) throws {
        guard (1...9).contains(level) else {
            throw OutputFileError(path: path, reason: "gzip level \(level) is not in 1…9")
        }
        self.path = path
        self.level = level
        let url = URL(fileURLWithPath: path)
        temporaryPath = url.deletingLastPathComponent().appendingPathComponent(
            ".\(url.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
        buffer = .allocate(capacity: Self.bufferSize)
        descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            let reason = "cannot create \(temporaryPath): \(String(cString: strerror(errno)))"
            buffer.deallocate()
            throw OutputFileError(path: path, reason: reason)
        }
        // windowBits 15 + 16 asks for gzip framing; memLevel 8 is zlib's default.
        let status = deflateInit2_(&stream, Int32(level), Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY,
                                   ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            Foundation.close(descriptor)
            unlink(temporaryPath)
            buffer.deallocate()
            throw OutputFileError(path: path, reason: "cannot start gzip compression (zlib status \(status))")
        }
        streamOpen = true
    }

    deinit {
        if streamOpen { deflateEnd(&stream) }
        if descriptor >= 0 { Foundation.close(descriptor) }
        if !committed { unlink(temporaryPath) }
        buffer.deallocate()
    }

    /// Compresses `bytes` into the file.
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard !bytes.isEmpty else { return }
        guard streamOpen else { throw OutputFileError(path: path, reason: "write after commit") }
        uncompressedBytes += bytes.count
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

    /// Compresses `bytes` into the file.
    public func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }

    /// Finishes the gzip stream, syncs the file and renames it over `path`.
    public func commit() throws {
        guard streamOpen else { throw OutputFileError(path: path, reason: "commit called twice") }
        stream.next_in = nil
        stream.avail_in = 0
        try deflateLoop(flush: Z_FINISH)
        deflateEnd(&stream)
        streamOpen = false
        guard fsync(descriptor) == 0 else { throw systemError("cannot sync") }
        let closed = Foundation.close(descriptor)
        descriptor = -1
        guard closed == 0 else { throw systemError("cannot close") }
        guard rename(temporaryPath, path) == 0 else { throw systemError("cannot rename into place") }
        committed = true
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
            try writeFully(count: produced)
            if flush == Z_FINISH {
                if status == Z_STREAM_END { return }
            } else if stream.avail_in == 0 && stream.avail_out != 0 {
                return
            }
        }
    }

    private func writeFully(count: Int) throws {
        var written = 0
        while written < count {
            let result = Foundation.write(descriptor, buffer.advanced(by: written), count - written)
            if result < 0 {
                if errno == EINTR { continue }
                throw systemError("cannot write")
            }
            written += result
        }
        compressedBytes += count
    }

    private func systemError(_ what: String) -> OutputFileError {
        OutputFileError(path: path, reason: "\(what) \(temporaryPath): \(String(cString: strerror(errno)))")
    }
}

/// An output file written atomically: gzip (through `GzipWriter`) when its name ends in `.gz`,
/// plain otherwise (through `AtomicFileWriter`, which buffers writes in 1 MiB chunks).
///
/// Nothing appears at `path` until `commit()`; released without it, the partial file is removed.
public final class OutputFile {
    public let path: String
    public let isGzip: Bool
    /// Bytes handed to `write` so far (before any compression).
    public private(set) var bytesWritten = 0
    private let plain: AtomicFileWriter?
    private let gzip: GzipWriter?

    /// Opens `path`; `gzipLevel` (1…9) applies to `.gz` names.
    public init(path: String, gzipLevel: Int = 1) throws {
        self.path = path
        isGzip = path.lowercased().hasSuffix(".gz")
        if isGzip {
            gzip = try GzipWriter(path: path, level: gzipLevel)
            plain = nil
        } else {
            do {
                plain = try AtomicFileWriter(path: path)
            } catch let error as AtomicWriteError {
                throw OutputFileError(path: path, reason: error.reason)
            }
            gzip = nil
        }
    }

    /// Appends `bytes`.
    public func write(_ bytes: [UInt8]) throws {
        bytesWritten += bytes.count
        if let gzip { try gzip.write(bytes) } else { try plain!.write(bytes) }
    }

    /// Bytes on disk so far: compressed size for gzip, else `bytesWritten`.
    public var storedBytes: Int { gzip?.compressedBytes ?? bytesWritten }

    /// Flushes, syncs and renames the file into place.
    public func commit() throws {
        if let gzip { try gzip.commit() } else { try plain!.commit() }
    }
}
