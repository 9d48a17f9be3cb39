import NNTensor

/// How a gradient contribution reaches an input's gradient buffer in a `TrainingPlan`, with
/// `Variable.accumulateGradient`'s semantics: the first contribution of a backward pass is stored,
/// a later one added to what is there.
enum GradientContribution {
    /// The first contribution, written into the input's buffer.
    case first
    /// The first contribution of a node that passes its gradient on unchanged (Add, Flatten): the
    /// node's own gradient buffer becomes the input's, as autograd stores the tensor without a copy.
    case handedOver
    /// Added into the contributions already in the input's buffer.
    case added
}

/// Passes `gradient` (count elements) on unchanged to an input's gradient, as Add and reshapes do.
func passGradient(_ gradient: UnsafePointer<Float>, into inputGradient: UnsafeMutablePointer<Float>, count: Int,
                  _ contribution: GradientContribution) {
    switch contribution {
    case .handedOver: break
    case .first: inputGradient.update(from: gradient, count: count)
    case .added: addAssign(UnsafeMutableBufferPointer(start: inputGradient, count: count), UnsafeBufferPointer(start: gradient, count: count))
    }
}

/// Add over planned buffers, as autograd's `sum`: the inputs added left to right, one pass per
/// input after the first; every input receives the output's gradient (`passGradient`).
/// `rectified`: a ReLU that alone reads the sum runs in its last pass, and its backward (dy where
/// the output is positive) on the gradient before it passes on. inputs [*] each → output [*].
struct PlannedSum {
    /// Elements per input.
    let count: Int
    let inputs: Int
    let rectified: Bool

    func forward(input: (Int) -> UnsafePointer<Float>, output: UnsafeMutablePointer<Float>) {
        guard inputs > 1 else {
            output.update(from: input(0), count: count)
            if rectified { applyActivation(.relu, input: UnsafeBufferPointer(outputBuffer(output)), output: outputBuffer(output), derivative: nil) }
            return
        }
        for index in 1..<inputs {
            add(index == 1 ? input(0) : UnsafePointer(output), input(index), into: output, count: count,
                rectified: rectified && index == inputs - 1)
        }
    }

    /// The ReLU's backward pass on the sum's output `gradient`, in place, when `rectified`.
    func rectifyGradient(_ gradient: UnsafeMutablePointer<Float>, output: UnsafePointer<Float>) {
        guard rectified else { return }
        let output = UnsafeBufferPointer(start: output, count: count)
        activationBackward(.relu, input: output, output: output, outputGradient: UnsafeBufferPointer(outputBuffer(gradient)),
                           inputGradient: outputBuffer(gradient))
    }

    private func outputBuffer(_ pointer: UnsafeMutablePointer<Float>) -> UnsafeMutableBufferPointer<Float> {
        UnsafeMutableBufferPointer(start: pointer, count: count)
    }
}

/// Concat over planned buffers, as autograd's `concatenate`: per index before the axis, each
/// input's block in turn; each input's gradient is its slice of the output's, added into it as
/// autograd's operation does (the plan zero-fills a first contribution). inputs [A…, dᵢ, B…] → output [A…, Σdᵢ, B…].
struct PlannedConcatenation {
    /// The product of the sizes before the axis.
    let outer: Int
    /// Each input's elements per index before the axis (dᵢ · the product of the sizes after it).
    let blocks: [Int]
    /// Where each input's block starts in the output's, per index before the axis.
    let offsets: [Int]
    /// The output's elements per index before the axis.
    let total: Int

    init(inputs: [[Int]], axis: Int) {
        let inner = inputs[0][(axis + 1)...].reduce(1, *)
        outer = inputs[0][..<axis].reduce(1, *)
        let blocks = inputs.map { $0[axis] * inner }
        self.blocks = blocks
        offsets = blocks.indices.map { index in blocks[..<index].reduce(0, +) }
        total = blocks.reduce(0, +)
    }

    func forward(input: (Int) -> UnsafePointer<Float>, output: UnsafeMutablePointer<Float>) {
        for o in 0..<outer {
            for (index, block) in blocks.enumerated() {
                (output + o * total + offsets[index]).update(from: input(index) + o * block, count: block)
            }
        }
    }

    /// Adds input `index`'s slice of the output's gradient into the input's gradient.
    func accumulateInputGradient(outputGradient: UnsafePointer<Float>, input index: Int, inputGradient: UnsafeMutablePointer<Float>) {
        let block = blocks[index]
        for o in 0..<outer {
            addAssign(UnsafeMutableBufferPointer(start: inputGradient + o * block, count: block),
                      UnsafeBufferPointer(start: outputGradient + o * total + offsets[index], count: block))
        }
    }
}
