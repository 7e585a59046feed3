import Foundation

/// A value guarded by a mutex, for state shared between worker threads.
package final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value

    package init(_ value: Value) { stored = value }

    /// Reads or replaces the value under the lock.
    package var value: Value {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }

    /// Runs `body` with exclusive access to the value.
    package func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        try lock.withLock { try body(&stored) }
    }
}

/// Wraps a raw pointer so that disjoint parts of one buffer can be written from parallel workers.
///
/// Safety is the caller's: each worker must touch only its own part, and the buffer must outlive the loop.
package struct SharedMutablePointer<Element>: @unchecked Sendable {
    package let base: UnsafeMutablePointer<Element>
    package init(_ base: UnsafeMutablePointer<Element>) { self.base = base }
    @inlinable package subscript(index: Int) -> Element {
        get { base[index] }
        nonmutating set { base[index] = newValue }
    }
}

/// A read-only raw pointer that may cross into parallel workers.
package struct SharedPointer<Element>: @unchecked Sendable {
    package let base: UnsafePointer<Element>
    package init(_ base: UnsafePointer<Element>) { self.base = base }
    @inlinable package subscript(index: Int) -> Element { base[index] }
}

/// A value made on first use (by `make`, once, under a lock) and kept.
package final class LazyValue<Value>: @unchecked Sendable {
    private let state: Locked<Value?>
    private let make: @Sendable () -> Value

    package init(_ make: @escaping @Sendable () -> Value) {
        state = Locked(nil)
        self.make = make
    }

    package var value: Value {
        state.withLock { stored in
            if let value = stored { return value }
            let value = make()
            stored = value
            return value
        }
    }
}
