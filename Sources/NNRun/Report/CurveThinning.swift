/// Fewer points for a long curve: an SVG of 100,000 steps is slow to draw and no clearer.
enum CurveThinning {
    /// `points` unchanged when there are at most `limit`; otherwise the means of consecutive runs of
    /// `stride` points (x and y), where a run holding a NaN or infinite value stays non-finite, so the
    /// curve keeps its gap there. Returns the points and the stride (1: unchanged).
    static func thinned(_ points: [(x: Double, y: Double)], limit: Int = 1500) -> (points: [(x: Double, y: Double)], stride: Int) {
        guard points.count > limit, limit > 0 else { return (points, 1) }
        let stride = (points.count + limit - 1) / limit
        let means = Swift.stride(from: 0, to: points.count, by: stride).map { start in
            let run = points[start ..< min(start + stride, points.count)]
            let count = Double(run.count)
            return (x: run.reduce(0) { $0 + $1.x } / count, y: run.reduce(0) { $0 + $1.y } / count)
        }
        return (means, stride)
    }
}
