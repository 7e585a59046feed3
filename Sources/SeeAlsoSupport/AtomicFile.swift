/// Writes a file so that readers see either the old content or the complete new one, never a part:
/// the data go to a temporary file beside the target (in 1 MiB chunks), are flushed to disk (fsync),
/// and the temporary is renamed over the target. A writer released without `commit()` removes its
/// temporary file, so an interrupted write leaves the old file intact.
///
/// Not thread-safe: one writer per thread.
package final class AtomicFileWriter {
    package let path: String
    package let temporaryPath: String
    /// Bytes written so far.
    package private(set) var byteCount = 0
    private let file: FileDescriptor
    private var buffer: [UInt8] = []
    private var open = true
    private var committed = false

    package init(path: String) throws {
        self.path = path
        temporaryPath = System.temporarySibling(of: path)
        file = try FileDescriptor.open(temporaryPath, .createTruncate)
        buffer.reserveCapacity(1 << 20)
    }

    deinit {
        if open { try? file.close() }
        if !committed { System.unlink(temporaryPath) }
    }

    package func write(_ bytes: UnsafeRawBufferPointer) throws {
        byteCount += bytes.count
        if buffer.count + bytes.count < 1 << 20 {
            buffer.append(contentsOf: bytes)
            return
        }
        try flush()
        try file.writeAll(bytes)
    }

    /// Appends `bytes` straight into the buffer (no intermediate array), flushing it at 1 MiB.
    package func write(_ bytes: some Sequence<UInt8>) throws {
        let before = buffer.count
        buffer.append(contentsOf: bytes)
        byteCount += buffer.count - before
        if buffer.count >= 1 << 20 { try flush() }
    }

    package func write(_ text: String) throws { try write(text.utf8) }

    private func flush() throws {
        guard !buffer.isEmpty else { return }
        try buffer.withUnsafeBytes { try file.writeAll($0) }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes, syncs and renames the file into place.
    package func commit() throws {
        precondition(open, "AtomicFileWriter.commit called twice")
        try flush()
        try file.sync()
        open = false
        try file.close()
        try System.rename(temporaryPath, to: path)
        committed = true
    }

    /// Writes `data` to `path` atomically.
    package static func write(_ data: some Sequence<UInt8>, to path: String) throws {
        let writer = try AtomicFileWriter(path: path)
        try writer.write(data)
        try writer.commit()
    }
}
