/// The stopping rule of mini-batch k-means: an exponentially weighted mean of the batch objectives
/// (weight α = min(1, 2·batch / (n + 1)) for the newest batch) must improve on its best value within
/// `patience` batches, or the run stops.
public struct MiniBatchStopping: Sendable {
    private let alpha: Double
    private let patience: Int
    private var smoothed: Double?
    private var best = -Double.infinity
    private var sinceBest = 0

    public init(batchSize: Int, rowCount: Int, patience: Int) {
        alpha = min(1, 2 * Double(batchSize) / Double(rowCount + 1))
        self.patience = patience
    }

    /// Records one batch's mean objective; returns true when the run should stop.
    public mutating func shouldStop(after objective: Double) -> Bool {
        let next = smoothed.map { (1 - alpha) * $0 + alpha * objective } ?? objective
        smoothed = next
        if next > best {
            best = next
            sinceBest = 0
            return false
        }
        sinceBest += 1
        return sinceBest >= patience
    }
}
