import NNTensor

/// One direction of one recurrent layer over a whole sequence, from the zero initial state, as
/// PyTorch's RNN, LSTM and GRU compute it (`RecurrentShape`'s loops). input [T, N, I] (time-major),
/// weightIH [G·H, I], weightHH [G·H, H], biases [G·H] → output [T, N, H], the hidden state of every
/// step in time order (also when `reverse` runs from the last step to the first; the final state is
/// the output at T − 1, or at 0 when reversed).
func recurrentLayer(_ input: Variable, cell: RecurrentCell, weightIH: Variable, weightHH: Variable, biasIH: Variable?,
                    biasHH: Variable?, reverse: Bool) throws(NNError) -> Variable {
    let hidden = weightHH.shape[1]
    guard input.shape.count == 3, input.shape[2] == weightIH.shape[1] else {
        throw .shapeMismatch("recurrent layer expects input [L, N, \(weightIH.shape[1])] but got \(input.shape)")
    }
    let shape = RecurrentShape(cell: cell, steps: input.shape[0], batch: input.shape[1], inputSize: input.shape[2],
                               hidden: hidden, reverse: reverse)
    precondition(weightIH.shape[0] == shape.width && weightHH.shape == [shape.width, hidden],
                 "recurrent weights \(weightIH.shape), \(weightHH.shape) for hidden size \(hidden)")
    var inputProjection = Tensor(zeros: [shape.rows, shape.width])
    var output = Tensor(zeros: [shape.steps, shape.batch, hidden])
    var cells = Tensor(zeros: [cell == .lstm ? shape.rows : 0, hidden])
    var saved = Tensor(zeros: [shape.rows, cell.savedCount * hidden])
    var workspace = Tensor(zeros: [shape.forwardWorkspaceCount])
    withStorage(inputProjection: &inputProjection, output: &output, cells: &cells, saved: &saved) { storage in
        workspace.scalars.withUnsafeMutableBufferPointer { workspace in
            input.withValue { x in
                weightIH.withValue { wih in
                    weightHH.withValue { whh in
                        biasIH.withValueIfPresent { bih in
                            biasHH.withValueIfPresent { bhh in
                                shape.forward(x: x, weightIH: wih, weightHH: whh, biasIH: bih, biasHH: bhh, storage: storage,
                                              workspace: workspace.baseAddress!)
                            }
                        }
                    }
                }
            }
        }
    }
    let inputs = [input, weightIH, weightHH] + [biasIH, biasHH].compactMap { $0 }
    return record(output, inputs: inputs) {
        RecurrentOperation(input: input, weightIH: weightIH, weightHH: weightHH, biasIH: biasIH, biasHH: biasHH, shape: shape,
                           output: output, cells: cells, saved: saved)
    }
}

/// Runs `body` with the base addresses of a pass's tensors (nil for an empty one): input projections
/// [T·N, G·H], output [T, N, H], LSTM cells [T·N, H], saved gates [T·N, savedCount·H].
private func withStorage(inputProjection: inout Tensor, output: inout Tensor, cells: inout Tensor, saved: inout Tensor,
                         _ body: (RecurrentStorage) -> Void) {
    inputProjection.scalars.withUnsafeMutableBufferPointer { xw in
        output.scalars.withUnsafeMutableBufferPointer { h in
            cells.scalars.withUnsafeMutableBufferPointer { c in
                saved.scalars.withUnsafeMutableBufferPointer { s in
                    body(RecurrentStorage(inputProjection: xw.baseAddress, output: h.baseAddress, cells: c.baseAddress, saved: s.baseAddress))
                }
            }
        }
    }
}

/// Backpropagation through time (`RecurrentShape.backThroughTime`), then one GEMM each for
/// dX = dG_x · W_ih, dW_ih += dG_xᵀ · X and dW_hh += dG_hᵀ · H_prev over all steps, and the bias
/// gradients as column sums.
private struct RecurrentOperation: DifferentiableOperation {
    let input: Variable, weightIH: Variable, weightHH: Variable, biasIH: Variable?, biasHH: Variable?
    let shape: RecurrentShape
    /// The forward pass's hidden states, LSTM cells and saved gates (its input projections are not
    /// needed: the cells saved their activated gates).
    let output: Tensor, cells: Tensor, saved: Tensor
    var inputs: [Variable] { [input, weightIH, weightHH] + [biasIH, biasHH].compactMap { $0 } }

    func backward(_ outputGradient: Tensor) {
        guard shape.rows > 0 else { return }
        var inputGates = Tensor(zeros: [shape.rows, shape.width])
        var recurrentGates = Tensor(zeros: [shape.cell == .gru ? shape.rows : 0, shape.width])
        var workspace = Tensor(zeros: [shape.backwardWorkspaceCount])
        inputGates.scalars.withUnsafeMutableBufferPointer { dgx in
            withForwardStorage(inputGates: dgx.baseAddress!) { storage in
                recurrentGates.scalars.withUnsafeMutableBufferPointer { dgh in
                    workspace.scalars.withUnsafeMutableBufferPointer { workspace in
                        outputGradient.scalars.withUnsafeBufferPointer { dy in
                            weightHH.withValue { w in
                                shape.backThroughTime(outputGradient: dy.baseAddress!, weightHH: w, storage: storage,
                                                      recurrentGates: dgh.baseAddress, workspace: workspace.baseAddress!)
                            }
                        }
                    }
                }
            }
        }
        accumulateInputGradients(inputGates)
        accumulateRecurrentGradients(shape.cell == .gru ? recurrentGates : inputGates)
    }

    /// Runs `body` with pointers to the forward pass's tensors, which the backward kernel only reads,
    /// and `inputGates` [T·N, G·H] in place of the input projections, for their gradients.
    private func withForwardStorage(inputGates: UnsafeMutablePointer<Float>, _ body: (RecurrentStorage) -> Void) {
        output.scalars.withUnsafeBufferPointer { h in
            cells.scalars.withUnsafeBufferPointer { c in
                saved.scalars.withUnsafeBufferPointer { s in
                    body(RecurrentStorage(inputProjection: inputGates, output: UnsafeMutablePointer(mutating: h.baseAddress),
                                          cells: UnsafeMutablePointer(mutating: c.baseAddress), saved: UnsafeMutablePointer(mutating: s.baseAddress)))
                }
            }
        }
    }

    /// dX = dG_x · W_ih, dW_ih += dG_xᵀ · X, db_ih += column sums of dG_x [T·N, G·H].
    private func accumulateInputGradients(_ gates: Tensor) {
        let linear = shape.inputLinear
        gates.scalars.withUnsafeBufferPointer { dg in
            biasIH?.accumulateGradient { db in linear.accumulateBiasGradient(dy: dg.baseAddress!, db: db.baseAddress!) }
            guard shape.inputSize > 0 else { return }
            if input.requiresGrad {
                input.accumulateGradient(Tensor(shape: input.shape) { dx in
                    weightIH.withValue { w in linear.inputGradient(w: w, dy: dg.baseAddress!, dx: dx.baseAddress!) }
                })
            }
            weightIH.accumulateGradient { dw in
                input.withValue { x in linear.accumulateWeightGradient(x: x, dy: dg.baseAddress!, dw: dw.baseAddress!) }
            }
        }
    }

    /// db_hh and dW_hh (none for a single step) from the recurrent projections' gradients [T·N, G·H].
    private func accumulateRecurrentGradients(_ gates: Tensor) {
        gates.scalars.withUnsafeBufferPointer { dg in
            biasHH?.accumulateGradient { db in shape.accumulateRecurrentBiasGradient(gates: dg.baseAddress!, db: db.baseAddress!) }
            guard shape.steps > 1 else { return }
            weightHH.accumulateGradient { dw in
                output.scalars.withUnsafeBufferPointer { h in
                    shape.accumulateRecurrentWeightGradient(gates: dg.baseAddress!, output: h.baseAddress!, dw: dw.baseAddress!)
                }
            }
        }
    }
}
