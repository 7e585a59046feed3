import Foundation

/// SplitMix64 (Steele, Lea & Flood 2014): SeeAlso's one seeded generator, for every random choice
/// (sampling, SVD test matrices, k-means seeding, synthetic archives, test data). Its sequence depends
/// only on the seed: the state advances by the golden-ratio increment γ and each output is the state
/// through a bijective 64-bit mixer (`finalize`).
package struct SplitMix64: RandomNumberGenerator, Sendable {
    package static let increment: UInt64 = 0x9E37_79B9_7F4A_7C15

    package var state: UInt64

    /// The generator whose first output is `finalize(seed + γ)`.
    package init(seed: UInt64) { state = seed }

    /// Stream `stream` of `seed`: distinct (seed, stream) pairs give unrelated sequences.
    package init(seed: UInt64, stream: UInt64) {
        state = Self.mix(seed ^ Self.mix(stream &+ 0x632B_E59B_D9B4_E019))
    }

    package mutating func next() -> UInt64 {
        state &+= Self.increment
        return Self.finalize(state)
    }

    /// Uniform in the open interval (0, 1), 53 random bits.
    package mutating func nextOpenUnit() -> Double { (Double(next() >> 11) + 0.5) * 0x1p-53 }

    /// Uniform in [0, bound) for bound ≥ 1 (Lemire's multiply-shift; the bias is below 2⁻⁶⁴·bound).
    package mutating func nextIndex(below bound: Int) -> Int {
        Int(next().multipliedFullWidth(by: UInt64(bound)).high)
    }

    /// `count` distinct indices of 0..<n drawn uniformly (a partial Fisher–Yates shuffle: `count` draws),
    /// in increasing order; all of 0..<n, without drawing, when `count` ≥ n. O(n) memory.
    package mutating func sampleIndices(_ count: Int, from n: Int) -> [Int] {
        guard count < n else { return Array(0..<n) }
        var pool = Array(0..<n)
        for position in 0..<count { pool.swapAt(position, position + nextIndex(below: n - position)) }
        return pool[0..<count].sorted()
    }

    /// Two independent standard normal values (Box–Muller).
    package mutating func nextGaussianPair() -> (Double, Double) {
        let radius = (-2 * log(nextOpenUnit())).squareRoot()
        let angle = 2 * Double.pi * nextOpenUnit()
        return (radius * cos(angle), radius * sin(angle))
    }

    /// The output mixer: a bijection of 64-bit values.
    @inline(__always)
    package static func finalize(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// finalize(value + γ): the first output of the generator seeded with `value`.
    @inline(__always)
    package static func mix(_ value: UInt64) -> UInt64 { finalize(value &+ increment) }

    /// A seeded 64-bit hash of an index (for per-row Bernoulli choices that do not depend on order).
    package static func hash(seed: UInt64, index: UInt64) -> UInt64 {
        finalize(mix(seed) &+ index &* increment)
    }

    /// A seed derived from `seed` for run `index` of a seeded procedure (k-means restart r).
    package static func derive(_ seed: UInt64, _ index: UInt64) -> UInt64 {
        finalize(finalize(seed ^ 0xA076_1D64_78BD_642F) &+ index)
    }
}
