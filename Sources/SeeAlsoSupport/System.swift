import Foundation

/// Every POSIX call SeeAlso makes lives in this file, behind typed errors (the approach of
/// apple/swift-system): files are opened, written, synced, renamed, linked, locked and mapped only here.

/// A failed system call: the path it concerned, what was attempted and the `errno` it set.
package struct SystemError: Error, CustomStringConvertible, Sendable, Equatable {
    package var path: String
    package var operation: String
    package var code: Int32

    package init(path: String, operation: String, code: Int32 = errno) {
        self.path = path
        self.operation = operation
        self.code = code
    }

    package var reason: String { String(cString: strerror(code)) }
    package var description: String { "\(path): cannot \(operation): \(reason)" }
}

/// An open file descriptor. Not thread-safe; closed explicitly (`close()`) or by its owner.
package struct FileDescriptor: Sendable {
    package enum Mode: Sendable {
        case readOnly
        /// Write-only; created (0644) or truncated.
        case createTruncate
        /// Read-write; created when missing, never truncated (lock files).
        case readWriteCreate
    }

    package let rawValue: Int32
    package let path: String

    package static func open(_ path: String, _ mode: Mode) throws -> FileDescriptor {
        let flags: Int32
        switch mode {
        case .readOnly: flags = O_RDONLY | O_CLOEXEC
        case .createTruncate: flags = O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC
        case .readWriteCreate: flags = O_RDWR | O_CREAT | O_CLOEXEC
        }
        let descriptor = Foundation.open(path, flags, 0o644)
        guard descriptor >= 0 else { throw SystemError(path: path, operation: mode == .readOnly ? "open" : "create") }
        return FileDescriptor(rawValue: descriptor, path: path)
    }

    /// Writes every byte, retrying on interruption and short writes.
    package func writeAll(_ bytes: UnsafeRawBufferPointer) throws {
        var written = 0
        while written < bytes.count {
            let result = Foundation.write(rawValue, bytes.baseAddress! + written, bytes.count - written)
            if result < 0 {
                if errno == EINTR { continue }
                throw SystemError(path: path, operation: "write")
            }
            written += result
        }
    }

    /// Reads up to `buffer.count` bytes at the current position, retrying on interruption; 0 at the end.
    package func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while true {
            let result = Foundation.read(rawValue, buffer.baseAddress!, buffer.count)
            if result >= 0 { return result }
            if errno != EINTR { throw SystemError(path: path, operation: "read") }
        }
    }

    /// Reads up to `buffer.count` bytes at `offset` (pread), retrying on interruption; 0 at the end.
    /// Leaves the file position alone, so several threads may read one descriptor at once.
    package func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) throws -> Int {
        while true {
            let result = pread(rawValue, buffer.baseAddress!, buffer.count, off_t(offset))
            if result >= 0 { return result }
            if errno != EINTR { throw SystemError(path: path, operation: "read") }
        }
    }

    /// Flushes the file's data and metadata to the device.
    package func sync() throws {
        guard fsync(rawValue) == 0 else { throw SystemError(path: path, operation: "sync") }
    }

    package func close() throws {
        guard Foundation.close(rawValue) == 0 else { throw SystemError(path: path, operation: "close") }
    }

    /// Size in bytes (fstat).
    package func size() throws -> Int {
        var status = stat()
        guard fstat(rawValue, &status) == 0 else { throw SystemError(path: path, operation: "stat") }
        return Int(status.st_size)
    }

    /// Whether the descriptor is a regular file (not a pipe, socket or device), so it can be read at any offset.
    package func isRegularFile() throws -> Bool {
        var status = stat()
        guard fstat(rawValue, &status) == 0 else { throw SystemError(path: path, operation: "stat") }
        return status.st_mode & S_IFMT == S_IFREG
    }

    /// Takes an exclusive advisory lock (flock) without waiting; false when another process holds it.
    package func tryLockExclusive() throws -> Bool {
        if flock(rawValue, LOCK_EX | LOCK_NB) == 0 { return true }
        if errno == EWOULDBLOCK { return false }
        throw SystemError(path: path, operation: "lock")
    }

    package func unlock() { flock(rawValue, LOCK_UN) }
}

package enum System {
    /// Atomically replaces `target` by `source` (same file system).
    package static func rename(_ source: String, to target: String) throws {
        guard Foundation.rename(source, target) == 0 else { throw SystemError(path: source, operation: "rename to \(target)") }
    }

    /// A new name (hard link) for an existing file.
    package static func link(_ existing: String, as newName: String) throws {
        guard Foundation.link(existing, newName) == 0 else { throw SystemError(path: newName, operation: "link to \(existing)") }
    }

    /// Creates a directory (its parent must exist); an existing file or directory of that name is an error.
    package static func makeDirectory(_ path: String) throws {
        guard Foundation.mkdir(path, 0o755) == 0 else { throw SystemError(path: path, operation: "create the directory") }
    }

    /// Removes a file name, ignoring a missing file.
    package static func unlink(_ path: String) { _ = Foundation.unlink(path) }

    /// Syncs a directory so that renames and new entries in it survive a crash.
    package static func syncDirectory(_ path: String) throws {
        let directory = try FileDescriptor.open(path, .readOnly)
        defer { try? directory.close() }
        try directory.sync()
    }

    /// Maps `size` bytes of an open file read-only and private.
    package static func mapReadOnly(_ file: FileDescriptor, size: Int) throws -> UnsafeRawBufferPointer {
        guard size > 0 else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        guard let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, file.rawValue, 0), address != MAP_FAILED else {
            throw SystemError(path: file.path, operation: "map into memory")
        }
        return UnsafeRawBufferPointer(start: address, count: size)
    }

    package static func unmap(_ bytes: UnsafeRawBufferPointer) {
        if let base = bytes.baseAddress { munmap(UnsafeMutableRawPointer(mutating: base), bytes.count) }
    }

    /// A name beside `path` for a temporary file that is renamed over `path` when complete.
    package static func temporarySibling(of path: String) -> String {
        let url = URL(fileURLWithPath: path)
        return url.deletingLastPathComponent().appendingPathComponent(
            ".\(url.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
    }

    /// Whether standard error is a terminal (progress lines are then redrawn in place).
    package static var standardErrorIsTerminal: Bool { isatty(2) != 0 }

    /// Hands memory the allocator holds free back to the system (glibc `malloc_trim`): after a stage
    /// frees a large set of mid-sized buffers, so that the next stage's peak does not stack on them.
    package static func returnFreedMemory() { _ = glibcMallocTrim(0) }

    /// `bytes` bytes of zeroed memory of the process's own (an anonymous private mapping; pages are
    /// allocated when first touched). With `hugePages`, the kernel is asked to back it with 2 MiB pages
    /// (transparent huge pages in `madvise` mode): fewer TLB misses in large tables probed at random; a
    /// hint, ignored where unsupported. Traps when the system has no memory left, as an allocation does.
    package static func mapZeroedMemory(bytes: Int, hugePages: Bool) -> UnsafeMutableRawPointer {
        guard let address = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), address != MAP_FAILED else {
            fatalError("out of memory: mapping \(bytes) bytes failed (errno \(errno))")
        }
        if hugePages { _ = madvise(address, bytes, MADV_HUGEPAGE) }
        return address
    }

    /// Returns memory from `mapZeroedMemory(bytes:hugePages:)` to the system.
    package static func unmapZeroedMemory(_ address: UnsafeMutableRawPointer, bytes: Int) { munmap(address, bytes) }

    /// User plus system CPU time of this process so far, in seconds.
    package static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        let user = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
        let system = Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
        return user + system
    }
}

/// glibc's `int malloc_trim(size_t pad)` (declared in <malloc.h>, which Glibc's module map leaves out).
@_silgen_name("malloc_trim")
private func glibcMallocTrim(_ pad: Int) -> Int32
