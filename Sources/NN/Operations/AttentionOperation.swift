import Foundation
import NNTensor

/// The sizes and memory layout of multi-head scaled dot-product attention over projected rows.
/// Queries come from rows of `query` [*, 3E] (its first E columns), keys and values from rows of
/// `keyValue` [*, 3E] (columns E…2E−1 and 2E…3E−1): the packed `in_proj` products, read in place.
/// A row is (n, l): at n·L + l when batch-first, else l·N + n. The output has the query's layout, width E.
struct AttentionShape {
    let batch: Int, queryLength: Int, keyLength: Int, heads: Int, headSize: Int
    let batchFirst: Bool
    /// Mask keys after each query's position (`is_causal`; queries and keys of one length).
    let causal: Bool

    var embedDim: Int { heads * headSize }
    var pairs: Int { batch * heads }

    /// Offset in rows of sequence n's first row, and the distance in rows between its positions.
    func rows(_ n: Int, length: Int) -> (first: Int, step: Int) { batchFirst ? (n * length, 1) : (n, batch) }
}

/// softmax(Q·Kᵀ/√d + mask)·V per batch element and head, heads joined: query [*, 3E], keyValue
/// [*, 3E] (the same variable for self-attention) → [*, E] in the query's layout. With
/// `dropout` > 0 the attention weights are dropped (and rescaled) with masks from `generator`.
func attention(query: Variable, keyValue: Variable, shape: AttentionShape, dropout: Float,
               generator: inout RandomGenerator) -> Variable {
    let (lq, lk, d, e) = (shape.queryLength, shape.keyLength, shape.headSize, shape.embedDim)
    precondition(shape.pairs > 0 && lq > 0 && lk > 0 && d > 0, "attention over an empty batch, sequence or head: \(shape)")
    var weights = Tensor(zeros: [shape.pairs, lq, lk])
    let masks = dropout > 0 ? Tensor(shape: [shape.pairs, lq, lk]) { drawDropoutMask(probability: dropout, generator: &generator, into: $0) } : nil
    let output = Tensor(shape: [shape.batch * lq, e]) { o in
        query.withValue { q in
            keyValue.withValue { kv in
                weights.scalars.withUnsafeMutableBufferPointer { p in
                    var dropped = [Float](repeating: 0, count: masks == nil ? 0 : lq * lk)
                    for pair in 0..<shape.pairs {
                        let (n, head) = pair.quotientAndRemainder(dividingBy: shape.heads)
                        let (queryRows, keyRows) = (shape.rows(n, length: lq), shape.rows(n, length: lk))
                        let scores = p.baseAddress! + pair * lq * lk
                        sgemm(.none, .transposed, m: lq, n: lk, k: d, alpha: 1 / Float(d).squareRoot(),
                              a: q + queryRows.first * 3 * e + head * d, lda: queryRows.step * 3 * e,
                              b: kv + keyRows.first * 3 * e + e + head * d, ldb: keyRows.step * 3 * e, beta: 0, c: scores, ldc: lk)
                        if shape.causal { maskFuturePositions(scores, length: lq) }
                        softmax(outer: lq, size: lk, inner: 1, logarithm: false, input: scores, output: scores)
                        // O = P′ · V, P′ the weights after dropout.
                        func weighValues(_ used: UnsafePointer<Float>) {
                            sgemm(.none, .none, m: lq, n: d, k: lk, alpha: 1, a: used, lda: lk,
                                  b: kv + keyRows.first * 3 * e + 2 * e + head * d, ldb: keyRows.step * 3 * e, beta: 0,
                                  c: o.baseAddress! + queryRows.first * e + head * d, ldc: queryRows.step * e)
                        }
                        guard let masks else {
                            weighValues(scores)
                            continue
                        }
                        masks.scalars.withUnsafeBufferPointer { m in
                            dropped.withUnsafeMutableBufferPointer { dropped in
                                multiply(dropped, UnsafeBufferPointer(start: scores, count: lq * lk),
                                         UnsafeBufferPointer(rebasing: m[(pair * lq * lk)..<((pair + 1) * lq * lk)]))
                                weighValues(dropped.baseAddress!)
                            }
                        }
                    }
                }
            }
        }
    }
    let inputs = query === keyValue ? [query] : [query, keyValue]
    return record(output.reshapedKeepingRows(query.shape.dropLast() + [e]), inputs: inputs) {
        AttentionOperation(query: query, keyValue: keyValue, shape: shape, weights: weights, masks: masks)
    }
}

/// −∞ above the diagonal of a [length, length] score matrix: position i sees keys 0…i.
private func maskFuturePositions(_ scores: UnsafeMutablePointer<Float>, length: Int) {
    for i in 0..<length {
        for j in (i + 1)..<max(length, i + 1) { scores[i * length + j] = -.infinity }
    }
}

extension Tensor {
    /// The same scalars as a tensor of `shape` (equal element count).
    fileprivate func reshapedKeepingRows(_ shape: [Int]) -> Tensor { Tensor(shape: shape, scalars: scalars) }
}

/// Per batch element and head, with P the attention weights and P′ = P ⊙ mask:
/// dV = P′ᵀ·dO, dP = (dO·Vᵀ) ⊙ mask, dS = P ⊙ (dP − Σ dP ⊙ P) / √d, dQ = dS·K, dK = dSᵀ·Q.
private struct AttentionOperation: DifferentiableOperation {
    let query: Variable, keyValue: Variable
    let shape: AttentionShape
    /// Softmax weights P [pairs, Lq, Lk] and dropout multipliers of the same shape (nil without dropout).
    let weights: Tensor, masks: Tensor?
    var inputs: [Variable] { query === keyValue ? [query] : [query, keyValue] }

    func backward(_ outputGradient: Tensor) {
        let area = shape.queryLength * shape.keyLength
        var queryGradient = Tensor(zeros: query.shape)
        var keyValueGradient = Tensor(zeros: query === keyValue ? [0] : keyValue.shape)
        var scratch = Tensor(zeros: [3, area])
        query.withValue { q in
            keyValue.withValue { kv in
                queryGradient.scalars.withUnsafeMutableBufferPointer { dq in
                    keyValueGradient.scalars.withUnsafeMutableBufferPointer { dkv in
                        outputGradient.scalars.withUnsafeBufferPointer { dOut in
                            weights.scalars.withUnsafeBufferPointer { p in
                                scratch.scalars.withUnsafeMutableBufferPointer { scratch in
                                    func run(masks: UnsafePointer<Float>?) {
                                        let buffers = AttentionGradientBuffers(
                                            q: q, kv: kv, dq: dq.baseAddress!, dkv: query === keyValue ? dq.baseAddress! : dkv.baseAddress!,
                                            dOut: dOut.baseAddress!, weights: p.baseAddress!, masks: masks, scratch: scratch.baseAddress!)
                                        for pair in 0..<shape.pairs { backward(pair: pair, buffers) }
                                    }
                                    guard let masks else { return run(masks: nil) }
                                    masks.scalars.withUnsafeBufferPointer { run(masks: $0.baseAddress) }
                                }
                            }
                        }
                    }
                }
            }
        }
        query.accumulateGradient(queryGradient)
        if query !== keyValue { keyValue.accumulateGradient(keyValueGradient) }
    }

    /// One batch element's and head's gradients, added into dq and dkv.
    private func backward(pair: Int, _ buffers: AttentionGradientBuffers) {
        let (lq, lk, d, e) = (shape.queryLength, shape.keyLength, shape.headSize, shape.embedDim)
        let (n, head) = pair.quotientAndRemainder(dividingBy: shape.heads)
        let (queryRows, keyRows) = (shape.rows(n, length: lq), shape.rows(n, length: lk))
        let (qStride, kStride, dOStride) = (queryRows.step * 3 * e, keyRows.step * 3 * e, queryRows.step * e)
        let qOffset = queryRows.first * 3 * e + head * d
        let kOffset = keyRows.first * 3 * e + e + head * d, vOffset = kOffset + e
        let dO = buffers.dOut + queryRows.first * e + head * d
        let area = lq * lk
        let weights = buffers.weights + pair * area
        let (dp, ds, dropped) = (buffers.scratch, buffers.scratch + area, buffers.scratch + 2 * area)
        let mask = buffers.masks.map { UnsafeBufferPointer(start: $0 + pair * area, count: area) }
        var used = weights
        if let mask {
            multiply(UnsafeMutableBufferPointer(start: dropped, count: area), UnsafeBufferPointer(start: weights, count: area), mask)
            used = UnsafePointer(dropped)
        }
        // dV += P′ᵀ · dO
        sgemm(.transposed, .none, m: lk, n: d, k: lq, alpha: 1, a: used, lda: lk, b: dO, ldb: dOStride,
              beta: 1, c: buffers.dkv + vOffset, ldc: kStride)
        // dP = dO · Vᵀ (⊙ mask)
        sgemm(.none, .transposed, m: lq, n: lk, k: d, alpha: 1, a: dO, lda: dOStride, b: buffers.kv + vOffset, ldb: kStride,
              beta: 0, c: dp, ldc: lk)
        if let mask {
            let gradient = UnsafeMutableBufferPointer(start: dp, count: area)
            multiply(gradient, UnsafeBufferPointer(gradient), mask)
        }
        ds.update(repeating: 0, count: area)
        softmaxBackward(outer: lq, size: lk, inner: 1, logarithm: false, output: weights, outputGradient: dp, inputGradient: ds)
        // dQ += dS·K/√d, dK += dSᵀ·Q/√d
        let scale = 1 / Float(d).squareRoot()
        sgemm(.none, .none, m: lq, n: d, k: lk, alpha: scale, a: ds, lda: lk, b: buffers.kv + kOffset, ldb: kStride,
              beta: 1, c: buffers.dq + qOffset, ldc: qStride)
        sgemm(.transposed, .none, m: lk, n: d, k: lq, alpha: scale, a: ds, lda: lk, b: buffers.q + qOffset, ldb: qStride,
              beta: 1, c: buffers.dkv + kOffset, ldc: kStride)
    }
}

/// What the backward pass of every pair reads and writes: the projected rows q and kv [*, 3E],
/// their gradients (dkv is dq for self-attention), the output gradient [*, E], the weights P
/// [pairs, Lq, Lk] and the dropout multipliers of the same shape (nil without dropout), and scratch
/// for one pair's dP, dS and P′ (3 · Lq · Lk).
private struct AttentionGradientBuffers {
    let q: UnsafePointer<Float>, kv: UnsafePointer<Float>
    let dq: UnsafeMutablePointer<Float>, dkv: UnsafeMutablePointer<Float>
    let dOut: UnsafePointer<Float>, weights: UnsafePointer<Float>, masks: UnsafePointer<Float>?
    let scratch: UnsafeMutablePointer<Float>
}
