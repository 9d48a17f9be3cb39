import NNTensor

/// softmax(Q·Kᵀ/√d + mask)·V per batch element and head, heads joined (`AttentionShape`'s loops):
/// query [*, 3E], keyValue [*, 3E] (the same variable for self-attention) → [*, E] in the query's
/// layout. With `dropout` > 0 the attention weights are dropped (and rescaled) with masks from `generator`.
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
                    masks.withScalarsIfPresent { m in shape.forward(q: q, kv: kv, masks: m, weights: p.baseAddress!, output: o.baseAddress!) }
                }
            }
        }
    }
    let inputs = query === keyValue ? [query] : [query, keyValue]
    return record(Tensor(shape: query.shape.dropLast() + [e], scalars: output.scalars), inputs: inputs) {
        AttentionOperation(query: query, keyValue: keyValue, shape: shape, weights: weights, masks: masks)
    }
}

/// The gradients of `attention` for the query and key/value rows, from `AttentionShape.backward`.
private struct AttentionOperation: DifferentiableOperation {
    let query: Variable, keyValue: Variable
    let shape: AttentionShape
    /// Softmax weights P [pairs, Lq, Lk] and dropout multipliers of the same shape (nil without dropout).
    let weights: Tensor, masks: Tensor?
    var inputs: [Variable] { query === keyValue ? [query] : [query, keyValue] }

    func backward(_ outputGradient: Tensor) {
        var queryGradient = Tensor(zeros: query.shape)
        var keyValueGradient = Tensor(zeros: query === keyValue ? [0] : keyValue.shape)
        query.withValue { q in
            keyValue.withValue { kv in
                queryGradient.scalars.withUnsafeMutableBufferPointer { dq in
                    keyValueGradient.scalars.withUnsafeMutableBufferPointer { dkv in
                        outputGradient.scalars.withUnsafeBufferPointer { dOut in
                            weights.scalars.withUnsafeBufferPointer { p in
                                masks.withScalarsIfPresent { m in
                                    shape.backward(q: q, kv: kv, outputGradient: dOut.baseAddress!, weights: p.baseAddress!, masks: m,
                                                   dq: dq.baseAddress!, dkv: query === keyValue ? dq.baseAddress! : dkv.baseAddress!)
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
}

private extension Optional where Wrapped == Tensor {
    /// Runs `body` with the tensor's scalars, or with nil when there is no tensor.
    func withScalarsIfPresent<Result>(_ body: (UnsafePointer<Float>?) -> Result) -> Result {
        guard let tensor = self else { return body(nil) }
        return tensor.scalars.withUnsafeBufferPointer { body($0.baseAddress) }
    }
}
