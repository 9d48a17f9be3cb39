import NNTensor

/// Where a `TrainingPlan` adds one parameter's gradient, with `Variable.accumulateGradient`'s
/// semantics and no allocation in the steady state.
///
/// When the parameter has a gradient, the contribution is added into it in place. When it has none
/// (after `zeroGrad()`, which sets it to nil), the contribution goes into the slot's own storage,
/// zero-filled first as autograd's fresh gradient is, and that storage becomes the parameter's
/// `grad`. The next `zeroGrad()` drops the parameter's reference, so the storage is uniquely held
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
        guard parameter.grad == nil else {
            parameter.accumulateGradient { gradient in body(gradient.baseAddress!) }
            return
        }
        storage.scalars.withUnsafeMutableBufferPointer { gradient in
            gradient.update(repeating: 0)
            body(gradient.baseAddress!)
        }
        parameter.grad = storage
    }

    /// Runs `body` with the parameter's value.
    func withValue<Result>(_ body: (UnsafePointer<Float>) -> Result) -> Result {
        parameter.value.scalars.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}
