/// The sizes and memory layout of multi-head scaled dot-product attention over projected rows, and
/// its forward and backward loops over the (batch element, head) pairs.
/// Queries come from rows of `q` [*, 3E] (its first E columns), keys and values from rows of `kv`
/// [*, 3E] (columns E…2E−1 and 2E…3E−1): the packed `in_proj` products, read in place. A row is
/// (n, l): at n·L + l when batch-first, else l·N + n. The output has the query's layout, width E.
public struct AttentionShape: Sendable {
    public let batch: Int, queryLength: Int, keyLength: Int, heads: Int, headSize: Int
    public let batchFirst: Bool
    /// Mask keys after each query's position (`is_causal`; queries and keys of one length).
    public let causal: Bool

    public init(batch: Int, queryLength: Int, keyLength: Int, heads: Int, headSize: Int, batchFirst: Bool, causal: Bool) {
        (self.batch, self.queryLength, self.keyLength, self.heads, self.headSize) = (batch, queryLength, keyLength, heads, headSize)
        (self.batchFirst, self.causal) = (batchFirst, causal)
    }

    public var embedDim: Int { heads * headSize }
    public var pairs: Int { batch * heads }

    /// Offset in rows of sequence n's first row, and the distance in rows between its positions.
    func rows(_ n: Int, length: Int) -> (first: Int, step: Int) { batchFirst ? (n * length, 1) : (n, batch) }

    /// Parts for the worker pool: `balancedParts` when the pairs' products add up to at least
    /// `MatrixProduct.parallelWork` multiply-adds (each pair's are far fewer: its products run
    /// serially inside its part), else 1. Pairs read and write disjoint memory, so the split
    /// changes no result.
    private var parts: Int {
        pairs * queryLength * keyLength * headSize >= MatrixProduct.parallelWork ? WorkerPool.shared.balancedParts(for: pairs) : 1
    }

    /// Per pair: P = softmax(Q·Kᵀ/√d + causal mask) into `weights` [pairs, Lq, Lk], then
    /// output = P′·V with P′ = P ⊙ `masks` (the dropout multipliers [pairs, Lq, Lk], or P without).
    /// output [*, E] in the query's layout, every element written.
    public func forward(q: UnsafePointer<Float>, kv: UnsafePointer<Float>, masks: UnsafePointer<Float>?,
                        weights: UnsafeMutablePointer<Float>, output: UnsafeMutablePointer<Float>) {
        WorkerPool.shared.forEachBlock(of: 0..<pairs, parts: parts, context: (self, q, kv, masks, weights, output)) { context, _, pairs in
            let (shape, q, kv, masks, weights, output) = context
            ScratchBuffers.withBuffer(count: shape.queryLength * shape.keyLength) { dropped in
                for pair in pairs { shape.forward(pair: pair, q: q, kv: kv, masks: masks, weights: weights, output: output, dropped: dropped) }
            }
        }
    }

    /// `forward` of one (batch element, head) pair, with `dropped` room for Lq·Lk floats.
    private func forward(pair: Int, q: UnsafePointer<Float>, kv: UnsafePointer<Float>, masks: UnsafePointer<Float>?,
                         weights: UnsafeMutablePointer<Float>, output: UnsafeMutablePointer<Float>, dropped: UnsafeMutablePointer<Float>) {
        let (lq, lk, d, e) = (queryLength, keyLength, headSize, embedDim), area = lq * lk
        let (n, head) = pair.quotientAndRemainder(dividingBy: heads)
        let (queryRows, keyRows) = (rows(n, length: lq), rows(n, length: lk))
        let scores = weights + pair * area
        sgemm(.none, .transposed, m: lq, n: lk, k: d, alpha: 1 / Float(d).squareRoot(),
              a: q + queryRows.first * 3 * e + head * d, lda: queryRows.step * 3 * e,
              b: kv + keyRows.first * 3 * e + e + head * d, ldb: keyRows.step * 3 * e, beta: 0, c: scores, ldc: lk)
        if causal { maskFuturePositions(scores, length: lq) }
        softmax(outer: lq, size: lk, inner: 1, logarithm: false, input: scores, output: scores)
        var used = UnsafePointer(scores)
        if let masks {
            multiply(UnsafeMutableBufferPointer(start: dropped, count: area), UnsafeBufferPointer(start: scores, count: area),
                     UnsafeBufferPointer(start: masks + pair * area, count: area))
            used = UnsafePointer(dropped)
        }
        sgemm(.none, .none, m: lq, n: d, k: lk, alpha: 1, a: used, lda: lk,
              b: kv + keyRows.first * 3 * e + 2 * e + head * d, ldb: keyRows.step * 3 * e, beta: 0,
              c: output + queryRows.first * e + head * d, ldc: queryRows.step * e)
    }

    /// Adds the gradients of `forward` into dq and dkv ([*, 3E], in the columns q and kv were read
    /// from; `dkv` may be `dq` for self-attention), from dO [*, E], the weights P and the masks it
    /// used. Per pair, with P′ = P ⊙ mask: dV = P′ᵀ·dO, dP = (dO·Vᵀ) ⊙ mask,
    /// dS = P ⊙ (dP − Σ dP ⊙ P) / √d, dQ = dS·K, dK = dSᵀ·Q.
    public func backward(q: UnsafePointer<Float>, kv: UnsafePointer<Float>, outputGradient: UnsafePointer<Float>,
                         weights: UnsafePointer<Float>, masks: UnsafePointer<Float>?,
                         dq: UnsafeMutablePointer<Float>, dkv: UnsafeMutablePointer<Float>) {
        WorkerPool.shared.forEachBlock(of: 0..<pairs, parts: parts,
                                       context: (self, q, kv, outputGradient, weights, masks, dq, dkv)) { context, _, pairs in
            let (shape, q, kv, outputGradient, weights, masks, dq, dkv) = context
            ScratchBuffers.withBuffer(count: 3 * shape.queryLength * shape.keyLength) { scratch in
                for pair in pairs {
                    shape.backward(pair: pair, q: q, kv: kv, outputGradient: outputGradient, weights: weights, masks: masks,
                                   dq: dq, dkv: dkv, scratch: scratch)
                }
            }
        }
    }

    /// `backward` of one pair, with `scratch` room for 3·Lq·Lk floats.
    private func backward(pair: Int, q: UnsafePointer<Float>, kv: UnsafePointer<Float>, outputGradient: UnsafePointer<Float>,
                          weights: UnsafePointer<Float>, masks: UnsafePointer<Float>?,
                          dq: UnsafeMutablePointer<Float>, dkv: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>) {
        let (lq, lk, d, e) = (queryLength, keyLength, headSize, embedDim), area = lq * lk
        let scale = 1 / Float(d).squareRoot()
        let (dp, ds, dropped) = (scratch, scratch + area, scratch + 2 * area)
        let (n, head) = pair.quotientAndRemainder(dividingBy: heads)
        let (queryRows, keyRows) = (rows(n, length: lq), rows(n, length: lk))
        let (qStride, kStride, dOStride) = (queryRows.step * 3 * e, keyRows.step * 3 * e, queryRows.step * e)
        let qOffset = queryRows.first * 3 * e + head * d
        let kOffset = keyRows.first * 3 * e + e + head * d, vOffset = kOffset + e
        let dO = outputGradient + queryRows.first * e + head * d
        let pairWeights = weights + pair * area
        let mask = masks.map { UnsafeBufferPointer(start: $0 + pair * area, count: area) }
        var used = pairWeights
        if let mask {
            multiply(UnsafeMutableBufferPointer(start: dropped, count: area), UnsafeBufferPointer(start: pairWeights, count: area), mask)
            used = UnsafePointer(dropped)
        }
        // dV += P′ᵀ · dO
        sgemm(.transposed, .none, m: lk, n: d, k: lq, alpha: 1, a: used, lda: lk, b: dO, ldb: dOStride,
              beta: 1, c: dkv + vOffset, ldc: kStride)
        // dP = dO · Vᵀ (⊙ mask)
        sgemm(.none, .transposed, m: lq, n: lk, k: d, alpha: 1, a: dO, lda: dOStride, b: kv + vOffset, ldb: kStride,
              beta: 0, c: dp, ldc: lk)
        if let mask {
            let gradient = UnsafeMutableBufferPointer(start: dp, count: area)
            multiply(gradient, UnsafeBufferPointer(gradient), mask)
        }
        ds.update(repeating: 0, count: area)
        softmaxBackward(outer: lq, size: lk, inner: 1, logarithm: false, output: pairWeights, outputGradient: dp, inputGradient: ds)
        // dQ += dS·K/√d, dK += dSᵀ·Q/√d
        sgemm(.none, .none, m: lq, n: d, k: lk, alpha: scale, a: ds, lda: lk, b: kv + kOffset, ldb: kStride,
              beta: 1, c: dq + qOffset, ldc: qStride)
        sgemm(.transposed, .none, m: lk, n: d, k: lq, alpha: scale, a: ds, lda: lk, b: q + qOffset, ldb: qStride,
              beta: 1, c: dkv + kOffset, ldc: kStride)
    }
}

/// −∞ above the diagonal of a [length, length] score matrix: position i sees keys 0…i.
private func maskFuturePositions(_ scores: UnsafeMutablePointer<Float>, length: Int) {
    for i in 0..<length {
        for j in (i + 1)..<max(length, i + 1) { scores[i * length + j] = -.infinity }
    }
}
