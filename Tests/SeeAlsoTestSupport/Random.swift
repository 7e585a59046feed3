import SeeAlsoSupport

/// The tests draw every random value from SeeAlso's own seeded `SplitMix64`.
extension SplitMix64 {
    /// Approximately standard normal (sum of 12 uniforms − 6): good enough for test data.
    package mutating func normal() -> Float {
        var sum: Float = 0
        for _ in 0..<12 { sum += Float.random(in: 0..<1, using: &self) }
        return sum - 6
    }

    /// True with probability `probability`.
    package mutating func chance(_ probability: Double) -> Bool { Double.random(in: 0..<1, using: &self) < probability }
}
