import NNTensor

/// Where a `TrainingPlan` adds one parameter's gradient, with `Variable.accumulateGradient`'s
/// semantics and no allocation in the steady state.
///
/// When the parameter has a gradient, the contribution is added into it in place. When it has none
/// (after `zeroGrad()`, which sets it to nil), the contribution goes into the slot's own storage,
/// zero-filled first as autograd's fresh gradient is (or written over, by a kernel that can), and
/// that storage becomes the parameter's `grad`. The next `zeroGrad()` drops the parameter's reference, so the storage is uniquely held
/// again and is reused without a copy.
final class GradientSlot {
    let parameter: Variable
    private var storage: Tensor

    init(_ parameter: Variable) {
        self.parameter = parameter
        storage = Tensor(zeros: parameter.shape)
    }

    /// Lets `body` add into the parameter's gradient (of the parameter's element count).
    func accumulate(_ body: (UnsafeMutablePointer<Float>) -> Void) {
        update(zeroFilled: true) { gradient, _ in body(gradient) }
    }

    /// Adds the parameter's element count of values at `values` into its gradient (per-channel sums a
    /// normalisation layer computed).
    func add(_ values: UnsafePointer<Float>) {
        let count = parameter.value.count
        accumulate { gradient in addAssign(UnsafeMutableBufferPointer(start: gradient, count: count), UnsafeBufferPointer(start: values, count: count)) }
    }

    /// Lets `body(gradient, beta)` store beta · gradient + its contribution: beta is 1 when the
    /// parameter has a gradient, and 0 for the slot's own storage, which is then neither zero-filled
    /// nor read (a kernel with beta 0 overwrites it). The values are `accumulate`'s, up to the sign
    /// of a zero (0 + (−0) is +0).
    func accumulateOrWrite(_ body: (UnsafeMutablePointer<Float>, _ beta: Float) -> Void) {
        update(zeroFilled: false, body)
    }

    private func update(zeroFilled: Bool, _ body: (UnsafeMutablePointer<Float>, _ beta: Float) -> Void) {
        guard parameter.grad == nil else {
            parameter.accumulateGradient { gradient in body(gradient.baseAddress!, 1) }
            return
        }
        storage.scalars.withUnsafeMutableBufferPointer { gradient in
            if zeroFilled { gradient.update(repeating: 0) }
            body(gradient.baseAddress!, zeroFilled ? 1 : 0)
        }
        parameter.grad = storage
    }

    /// Runs `body` with the parameter's value.
    func withValue<Result>(_ body: (UnsafePointer<Float>) -> Result) -> Result { parameter.withValue(body) }
}

extension Optional where Wrapped == GradientSlot {
    /// Runs `body` with the value of the slot's parameter, or nil without a slot (a layer without bias).
    func withValueIfPresent<Result>(_ body: (UnsafePointer<Float>?) -> Result) -> Result {
        map(\.parameter).withValueIfPresent(body)
    }
}
