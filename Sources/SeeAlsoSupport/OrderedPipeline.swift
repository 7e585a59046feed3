import Foundation

/// Runs a three-stage pipeline on `workers` threads: a sequential producer, a parallel transform
/// and an in-order consumer, with at most `maxInFlight` items produced but not yet consumed.
///
/// There is no dedicated producer or consumer thread: a worker that needs work takes the producer's
/// lock and calls `next`; a worker whose result is the next in order runs `consume` (serialized, in
/// production order). Memory is bounded by `maxInFlight` items. The first error thrown by any stage
/// stops production and is rethrown once all workers have stopped.
package enum OrderedPipeline {
    package static func run<Item, Output>(
        workers: Int = Parallelism.workerCount,
        maxInFlight: Int? = nil,
        next: () throws -> Item?,
        transform: (Item, _ worker: Int) throws -> Output,
        consume: (Output) throws -> Void
    ) throws {
        let workerCount = max(1, workers)
        let state = PipelineState<Output>(limit: maxInFlight ?? 2 * workerCount)
        withoutActuallyEscaping(next) { next in
            withoutActuallyEscaping(transform) { transform in
                withoutActuallyEscaping(consume) { consume in
                    let stages = Stages(next: next, transform: transform, consume: consume)
                    DispatchQueue.concurrentPerform(iterations: workerCount) { worker in
                        state.work(worker: worker, stages: stages)
                    }
                }
            }
        }
        if let error = state.failure { throw error }
    }
}

/// The three closures, carried into the workers. They are only ever called under the pipeline's
/// rules (producer and consumer serialized), which is what makes sharing them sound.
private struct Stages<Item, Output>: @unchecked Sendable {
    let next: () throws -> Item?
    let transform: (Item, Int) throws -> Output
    let consume: (Output) throws -> Void
}

private final class PipelineState<Output>: @unchecked Sendable {
    private let condition = NSCondition()
    private let producerLock = NSLock()
    private let limit: Int
    private var produced = 0
    private var consumed = 0
    private var exhausted = false
    private var consuming = false
    private var ready: [Int: Output] = [:]
    private(set) var failure: (any Error)?

    init(limit: Int) { self.limit = max(1, limit) }

    func work<Item>(worker: Int, stages: Stages<Item, Output>) {
        while true {
            // Wait for room in the window, then produce one item.
            condition.lock()
            while !exhausted && failure == nil && produced - consumed >= limit { condition.wait() }
            if exhausted || failure != nil { condition.unlock(); return }
            condition.unlock()

            producerLock.lock()
            let item: Item?
            let sequence: Int
            do {
                item = try stages.next()
            } catch {
                producerLock.unlock()
                fail(error)
                return
            }
            condition.lock()
            sequence = produced
            if item == nil { exhausted = true } else { produced += 1 }
            condition.broadcast()
            condition.unlock()
            producerLock.unlock()
            guard let item else { return }

            let output: Output
            do { output = try stages.transform(item, worker) } catch { fail(error); return }

            condition.lock()
            ready[sequence] = output
            // Become the consumer if nobody is; drain every result that is next in order.
            guard !consuming else { condition.unlock(); continue }
            consuming = true
            while failure == nil, let nextOutput = ready.removeValue(forKey: consumed) {
                condition.unlock()
                do { try stages.consume(nextOutput) } catch { fail(error); return }
                condition.lock()
                consumed += 1
                condition.broadcast()
            }
            consuming = false
            condition.unlock()
        }
    }

    private func fail(_ error: any Error) {
        condition.lock()
        if failure == nil { failure = error }
        consuming = false
        condition.broadcast()
        condition.unlock()
    }
}
