import Foundation
import SeeAlsoSupport

/// Seed derivation with SplitMix64's mixer (`SplitMix64.mix`).
///
/// Every random stream of the generator is seeded with `SeedMixer.derive(seed, purpose, index)`,
/// so each story and each article has its own stream that does not depend on what else was
/// generated before it, nor on which thread generates it.
enum SeedMixer {
    /// A seed for stream `index` of kind `purpose` under the user's `seed`.
    @inline(__always)
    static func derive(_ seed: UInt64, _ purpose: UInt64, _ index: UInt64 = 0) -> UInt64 {
        SplitMix64.mix(SplitMix64.mix(SplitMix64.mix(seed) ^ purpose) ^ index)
    }
}

/// xoshiro256** (Blackman & Vigna): a small, fast generator with a 2^256 period, seeded through SplitMix64.
struct FastRandom: RandomNumberGenerator {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    init(seed: UInt64) {
        var split = SplitMix64(seed: seed)
        s0 = split.next(); s1 = split.next(); s2 = split.next(); s3 = split.next()
    }

    @inline(__always)
    mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = s3 << 45 | s3 >> 19
        return result
    }

    /// Uniform in [0, 1).
    @inline(__always)
    mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// Uniform in `0..<bound` (bound ≥ 1), by multiply-shift (bias below 2^-32 for the bounds used here).
    @inline(__always)
    mutating func below(_ bound: Int) -> Int {
        Int(truncatingIfNeeded: ((next() >> 32) &* UInt64(bound)) >> 32)
    }

    /// Uniform in `range` (inclusive).
    @inline(__always)
    mutating func between(_ low: Int, _ high: Int) -> Int { low + below(high - low + 1) }

    /// True with probability `p`.
    @inline(__always)
    mutating func chance(_ p: Double) -> Bool { unit() < p }

    /// A standard normal deviate (Box–Muller; one of the pair is discarded for simplicity).
    mutating func normal() -> Double {
        let u = max(unit(), 0x1p-60)
        return (-2 * Foundation.log(u)).squareRoot() * Foundation.cos(2 * Double.pi * unit())
    }

    /// A log-normal deviate with the given median and shape.
    mutating func logNormal(median: Double, sigma: Double) -> Double {
        median * Foundation.exp(sigma * normal())
    }
}

/// Walker's alias method (Vose's construction): O(1) sampling from a fixed discrete distribution
/// with one 64-bit random number per draw.
struct AliasTable: Sendable {
    /// Per slot: the acceptance threshold scaled to 2^32, and the alias taken above it.
    private let threshold: [UInt32]
    private let alias: [UInt32]

    var count: Int { threshold.count }

    init(weights: [Double]) {
        let n = weights.count
        precondition(n > 0 && n < Int(UInt32.max), "alias table needs 1…2^32-1 weights")
        let total = weights.reduce(0, +)
        precondition(total > 0, "alias table needs a positive total weight")
        var scaled = weights.map { $0 * Double(n) / total }
        var thresholds = [UInt32](repeating: UInt32.max, count: n)
        var aliases = [UInt32](repeating: 0, count: n)
        var small: [Int] = []
        var large: [Int] = []
        for index in 0..<n { if scaled[index] < 1 { small.append(index) } else { large.append(index) } }
        while let s = small.popLast() {
            guard let l = large.last else { break }
            thresholds[s] = UInt32(min(Double(UInt32.max), scaled[s] * 0x1p32))
            aliases[s] = UInt32(l)
            scaled[l] -= 1 - scaled[s]
            if scaled[l] < 1 {
                large.removeLast()
                small.append(l)
            }
        }
        for index in 0..<n { aliases[index] = thresholds[index] == UInt32.max ? UInt32(index) : aliases[index] }
        threshold = thresholds
        alias = aliases
    }

    @inline(__always)
    func sample(_ random: inout FastRandom) -> Int {
        let bits = random.next()
        let slot = Int(truncatingIfNeeded: ((bits >> 32) &* UInt64(threshold.count)) >> 32)
        return UInt32(truncatingIfNeeded: bits) < threshold[slot] ? slot : Int(alias[slot])
    }

    /// Zipf weights 1/(rank+offset)^exponent for ranks 1…count.
    static func zipfWeights(count: Int, exponent: Double, offset: Double = 0) -> [Double] {
        (0..<count).map { Foundation.pow(Double($0 + 1) + offset, -exponent) }
    }
}
