import Foundation

/// A pointwise nonlinearity, with its parameters (PyTorch's formulas).
public enum Activation: Sendable, Equatable {
    /// 0 if x < 0, else x (NaN stays NaN and −0 stays −0, as `torch.relu`)
    case relu
    /// x if x > 0 else negativeSlope · x
    case leakyRelu(negativeSlope: Float)
    /// x if x > 0 else alpha · (eˣ − 1)
    case elu(alpha: Float)
    /// x · Φ(x), Φ the standard normal CDF (GELU approximate='none')
    case gelu
    /// 0.5 · x · (1 + tanh(√(2/π) · (x + 0.044715 x³))) (GELU approximate='tanh')
    case geluTanh
    /// 1 / (1 + e⁻ˣ)
    case sigmoid
    /// tanh(x)
    case tanh
    /// min(max(x, 0), 6) (NaN stays NaN and −0 stays −0, as `torch.clamp`)
    case relu6
    /// x · σ(x) = x / (1 + e⁻ˣ)
    case silu
    /// x · min(max(x + 3, 0), 6) / 6
    case hardswish
    /// log(1 + e^(beta·x)) / beta, or x where beta·x > threshold
    case softplus(beta: Float, threshold: Float)
    /// x · tanh(log(1 + eˣ))
    case mish
}

/// output[i] = f(input[i]) and, when `derivative` is given, derivative[i] = f′(input[i]).
/// `output` may be `input` itself (in place). Large buffers are split over the worker pool.
public func applyActivation(_ activation: Activation, input: UnsafeBufferPointer<Float>,
                            output: UnsafeMutableBufferPointer<Float>,
                            derivative: UnsafeMutableBufferPointer<Float>?) {
    precondition(output.count == input.count && (derivative?.count ?? input.count) == input.count,
                 "activation buffers of \(input.count), \(output.count), \(derivative?.count ?? input.count) elements")
    guard input.count > 0 else { return }
    activation.withFormula(ForwardPass(input: input.baseAddress!, output: output.baseAddress!,
                                       derivative: derivative?.baseAddress, count: input.count))
}

/// The gradient of `applyActivation`: inputGradient[i] = outputGradient[i] · f′(input[i]), the slope
/// computed from the forward input x and output y = f(x) (ReLU: outputGradient[i] where x > 0, else 0,
/// as PyTorch's `threshold_backward`; ReLU6 and Hardswish select as PyTorch's vectorised
/// `hardtanh_backward` and `hardswish_backward`). No derivative buffer is needed: forward passes store
/// only y. `inputGradient` need not be initialised and may be `outputGradient` itself (in place). ReLU,
/// sigmoid and tanh read only `output`, the others only `input`: the unread one may be any buffer
/// of the same length (e.g. the read one again, when the forward pass ran in place).
public func activationBackward(_ activation: Activation, input: UnsafeBufferPointer<Float>, output: UnsafeBufferPointer<Float>,
                               outputGradient: UnsafeBufferPointer<Float>, inputGradient: UnsafeMutableBufferPointer<Float>) {
    precondition(output.count == input.count && outputGradient.count == input.count && inputGradient.count == input.count,
                 "activation gradient buffers of \(input.count), \(output.count), \(outputGradient.count), \(inputGradient.count) elements")
    guard input.count > 0 else { return }
    activation.withFormula(BackwardPass(input: input.baseAddress!, output: output.baseAddress!,
                                        outputGradient: outputGradient.baseAddress!, inputGradient: inputGradient.baseAddress!,
                                        count: input.count))
}

/// One activation's formulas (PyTorch's): the value, and the slope f′ given the input x and the
/// value y = f(x), whichever is cheaper to use; the vector forms apply them lane by lane unless a
/// formula has its own (ReLU, LeakyReLU, ReLU6 and Hardswish: selects; ELU, sigmoid and SiLU: `VectorExp`,
/// which gives the scalar `exp`'s bits; GELU: its 16-lane `ErrorFunction`).
private protocol ActivationFormula {
    func value(_ x: Float) -> Float
    func slope(input x: Float, output y: Float) -> Float
    /// dy · f′: the product, or a select where f′ is 0 or 1.
    func gradient(_ dy: Float, input x: Float, output y: Float) -> Float
    func value(_ x: SIMD16<Float>) -> SIMD16<Float>
    func gradient(_ dy: SIMD16<Float>, input x: SIMD16<Float>, output y: SIMD16<Float>) -> SIMD16<Float>
}

extension ActivationFormula {
    @inline(__always) func gradient(_ dy: Float, input x: Float, output y: Float) -> Float { dy * slope(input: x, output: y) }

    @inline(__always) func value(_ x: SIMD16<Float>) -> SIMD16<Float> {
        var result = SIMD16<Float>()
        for lane in 0..<16 { result[lane] = value(x[lane]) }
        return result
    }

    @inline(__always) func gradient(_ dy: SIMD16<Float>, input x: SIMD16<Float>, output y: SIMD16<Float>) -> SIMD16<Float> {
        var result = SIMD16<Float>()
        for lane in 0..<16 { result[lane] = gradient(dy[lane], input: x[lane], output: y[lane]) }
        return result
    }
}

/// A loop over all elements, run with the concrete formula (so it is specialised and inlined).
private protocol ActivationLoop {
    func run<Formula: ActivationFormula>(_ formula: Formula)
}

extension Activation {
    /// Calls `loop.run` with this activation's formula.
    fileprivate func withFormula(_ loop: some ActivationLoop) {
        switch self {
        case .relu: loop.run(ReLUFormula())
        case .leakyRelu(let slope): loop.run(LeakyReLUFormula(negativeSlope: slope))
        case .elu(let alpha): loop.run(ELUFormula(alpha: alpha))
        case .gelu: loop.run(GELUFormula())
        case .geluTanh: loop.run(GELUTanhFormula())
        case .sigmoid: loop.run(SigmoidFormula())
        case .tanh: loop.run(TanhFormula())
        case .relu6: loop.run(ReLU6Formula())
        case .silu: loop.run(SiLUFormula())
        case .hardswish: loop.run(HardswishFormula())
        case .softplus(let beta, let threshold): loop.run(SoftplusFormula(beta: beta, threshold: threshold))
        case .mish: loop.run(MishFormula())
        }
    }
}

/// y = f(x) and optionally f′(x), chunked over the worker pool.
private struct ForwardPass: ActivationLoop {
    let input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, derivative: UnsafeMutablePointer<Float>?
    let count: Int

    func run<Formula: ActivationFormula>(_ formula: Formula) {
        WorkerPool.shared.forEachChunk(of: count, context: (self, formula)) { pass, chunk in pass.0.run(pass.1, over: chunk) }
    }

    @inline(__always)
    private func run<Formula: ActivationFormula>(_ formula: Formula, over chunk: Range<Int>) {
        if let derivative {
            for index in chunk {
                let x = input[index], y = formula.value(x)
                output[index] = y
                derivative[index] = formula.slope(input: x, output: y)
            }
        } else {
            forEachVectorStep(chunk) { index in
                storeUnaligned(formula.value(loadUnaligned(input + index, as: SIMD16<Float>.self)), output + index)
            } scalar: { index in
                output[index] = formula.value(input[index])
            }
        }
    }
}

/// dx = dy · f′, chunked over the worker pool.
private struct BackwardPass: ActivationLoop {
    let input: UnsafePointer<Float>, output: UnsafePointer<Float>
    let outputGradient: UnsafePointer<Float>, inputGradient: UnsafeMutablePointer<Float>
    let count: Int

    func run<Formula: ActivationFormula>(_ formula: Formula) {
        WorkerPool.shared.forEachChunk(of: count, context: (self, formula)) { pass, chunk in pass.0.run(pass.1, over: chunk) }
    }

    @inline(__always)
    private func run<Formula: ActivationFormula>(_ formula: Formula, over chunk: Range<Int>) {
        forEachVectorStep(chunk) { index in
            let dy = loadUnaligned(outputGradient + index, as: SIMD16<Float>.self)
            let x = loadUnaligned(input + index, as: SIMD16<Float>.self), y = loadUnaligned(output + index, as: SIMD16<Float>.self)
            storeUnaligned(formula.gradient(dy, input: x, output: y), inputGradient + index)
        } scalar: { index in
            inputGradient[index] = formula.gradient(outputGradient[index], input: input[index], output: output[index])
        }
    }
}

private struct ReLUFormula: ActivationFormula {
    @inline(__always) func value(_ x: Float) -> Float { rectified(x) }
    // PyTorch's `threshold_backward(grad, result, 0)`: 0 where y ≤ 0, else dy (a NaN y passes dy).
    @inline(__always) func slope(input x: Float, output y: Float) -> Float { y <= 0 ? 0 : 1 }
    @inline(__always) func gradient(_ dy: Float, input x: Float, output y: Float) -> Float { y <= 0 ? 0 : dy }
    @inline(__always) func value(_ x: SIMD16<Float>) -> SIMD16<Float> { rectified(x) }
    @inline(__always) func gradient(_ dy: SIMD16<Float>, input x: SIMD16<Float>, output y: SIMD16<Float>) -> SIMD16<Float> {
        dy.replacing(with: 0, where: y .<= 0)
    }
}

/// ReLU: 0 where x < 0, else x (NaN and −0 kept), for `Activation.relu` and the loops that run it
/// inside their own passes.
@inline(__always) func rectified(_ x: Float) -> Float { x < 0 ? 0 : x }

/// `rectified` over 16 lanes.
@inline(__always) func rectified(_ x: SIMD16<Float>) -> SIMD16<Float> { x.replacing(with: 0, where: x .< 0) }

private struct LeakyReLUFormula: ActivationFormula {
    let negativeSlope: Float
    @inline(__always) func value(_ x: Float) -> Float { x > 0 ? x : x * negativeSlope }
    @inline(__always) func slope(input x: Float, output y: Float) -> Float { x > 0 ? 1 : negativeSlope }
    @inline(__always) func gradient(_ dy: Float, input x: Float, output y: Float) -> Float { x > 0 ? dy : dy * negativeSlope }
    @inline(__always) func value(_ x: SIMD16<Float>) -> SIMD16<Float> { (x * negativeSlope).replacing(with: x, where: x .> 0) }
    @inline(__always) func gradient(_ dy: SIMD16<Float>, input x: SIMD16<Float>, output y: SIMD16<Float>) -> SIMD16<Float> {
        (dy * negativeSlope).replacing(with: dy, where: x .> 0)
    }
}

private struct ELUFormula: ActivationFormula {
    let alpha: Float
    @inline(__always) func value(_ x: Float) -> Float { x > 0 ? x : alpha * (Foundation.exp(x) - 1) }
    @inline(__always) func slope(input x: Float, output y: Float) -> Float { x > 0 ? 1 : alpha * Foundation.exp(x) }
    @inline(__always) func value(_ x: SIMD16<Float>) -> SIMD16<Float> {
        (alpha * (VectorExp.exp(x) - 1)).replacing(with: x, where: x .> 0)
    }
    @inline(__always) func gradient(_ dy: SIMD16<Float>, input x: SIMD16<Float>, output y: SIMD16<Float>) -> SIMD16<Float> {
        dy * (alpha * VectorExp.exp(x)).replacing(with: 1, where: x .> 0)
    }
}

/// x · Φ(x) with Φ(x) = ½(1 + erf(x/√2)), slope Φ(x) + x · e^(−x²/2)/√(2π), through the 16-lane
/// `ErrorFunction` and `CellFunctions.exp`; a single element in one lane, so it gets the bits it
/// would get among 15 others.
private struct GELUFormula: ActivationFormula {
    static let inverseSqrt2: Float = 0.70710678118654752440, inverseSqrt2Pi: Float = 0.39894228040143267794
    @inline(__always) func value(_ x: Float) -> Float { value(SIMD16(repeating: x))[0] }
    @inline(__always) func slope(input x: Float, output y: Float) -> Float { slope(SIMD16(repeating: x))[0] }
    @inline(__always) func value(_ x: SIMD16<Float>) -> SIMD16<Float> {
        let z = x * Self.inverseSqrt2
        return x * (0.5 * (1 + ErrorFunction.erf(z)))
    }
    @inline(__always) func slope(_ x: SIMD16<Float>) -> SIMD16<Float> {
        let z = x * Self.inverseSqrt2, gaussian = CellFunctions.exp(-(z * z))
        return 0.5 * (1 + ErrorFunction.erf(z, gaussian: gaussian)) + x * Self.inverseSqrt2Pi * gaussian
    }
    @inline(__always) func gradient(_ dy: SIMD16<Float>, input x: SIMD16<Float>, output y: SIMD16<Float>) -> SIMD16<Float> { dy * slope(x) }
}

private struct GELUTanhFormula: ActivationFormula {
    static let beta: Float = 0.79788456080286535588, kappa: Float = 0.044715
    @inline(__always) func inner(_ x: Float) -> Float { Foundation.tanh(Self.beta * (x + Self.kappa * x * x * x)) }
    @inline(__always) func value(_ x: Float) -> Float { 0.5 * x * (1 + inner(x)) }
    @inline(__always) func slope(input x: Float, output y: Float) -> Float {
        let inner = inner(x)
        return 0.5 * (1 + inner) + 0.5 * x * (1 - inner * inner) * Self.beta * (1 + 3 * Self.kappa * x * x)
    }
}

private struct SigmoidFormula: ActivationFormula {
    @inline(__always) func value(_ x: Float) -> Float { 1 / (1 + Foundation.exp(-x)) }
    @inline(__always) func slope(input x: Float, output y: Float) -> Float { y * (1 - y) }
    @inline(__always) func value(_ x: SIMD16<Float>) -> SIMD16<Float> { 1 / (1 + VectorExp.exp(-x)) }
}

private struct TanhFormula: ActivationFormula {
    @inline(__always) func value(_ x: Float) -> Float { Foundation.tanh(x) }
    @inline(__always) func slope(input x: Float, output y: Float) -> Float { 1 - y * y }
}

/// PyTorch's `hardtanh(x, 0, 6)` and `hardtanh_backward`: dy where 0 < x < 6, else 0. A NaN x gets 0,
/// as in PyTorch's vectorised loop (its scalar loop, which takes a contiguous tensor's last few
/// elements, passes dy there).
private struct ReLU6Formula: ActivationFormula {
    @inline(__always) func value(_ x: Float) -> Float { x < 0 ? 0 : x > 6 ? 6 : x }
    @inline(__always) func slope(input x: Float, output y: Float) -> Float { x > 0 && x < 6 ? 1 : 0 }
    @inline(__always) func gradient(_ dy: Float, input x: Float, output y: Float) -> Float { x > 0 && x < 6 ? dy : 0 }
    @inline(__always) func value(_ x: SIMD16<Float>) -> SIMD16<Float> {
        x.replacing(with: 0, where: x .< 0).replacing(with: 6, where: x .> 6)
    }
    @inline(__always) func gradient(_ dy: SIMD16<Float>, input x: SIMD16<Float>, output y: SIMD16<Float>) -> SIMD16<Float> {
        SIMD16(repeating: 0).replacing(with: dy, where: (x .> 0) .& (x .< 6))
    }
}

/// PyTorch's `silu` and `silu_backward`: f′ = σ(x) · (1 + x · (1 − σ(x))).
private struct SiLUFormula: ActivationFormula {
    @inline(__always) func value(_ x: Float) -> Float { x / (1 + Foundation.exp(-x)) }
    @inline(__always) func slope(input x: Float, output y: Float) -> Float {
        let sigmoid = 1 / (1 + Foundation.exp(-x))
        return sigmoid * (1 + x * (1 - sigmoid))
    }
    @inline(__always) func value(_ x: SIMD16<Float>) -> SIMD16<Float> { x / (1 + VectorExp.exp(-x)) }
    @inline(__always) func gradient(_ dy: SIMD16<Float>, input x: SIMD16<Float>, output y: SIMD16<Float>) -> SIMD16<Float> {
        let sigmoid = 1 / (1 + VectorExp.exp(-x))
        return dy * (sigmoid * (1 + x * (1 - sigmoid)))
    }
}

/// PyTorch's `hardswish` and vectorised `hardswish_backward`: 0 where x ≤ −3, dy where x ≥ 3, else
/// dy · (x/3 + 1/2); a NaN x gets NaN (PyTorch's scalar loop, for a tensor's last few elements, passes dy).
private struct HardswishFormula: ActivationFormula {
    @inline(__always) func value(_ x: Float) -> Float {
        let shifted = x + 3
        return x * (shifted < 0 ? 0 : shifted > 6 ? 6 : shifted) / 6
    }
    @inline(__always) func slope(input x: Float, output y: Float) -> Float { x <= -3 ? 0 : x >= 3 ? 1 : x / 3 + 0.5 }
    @inline(__always) func gradient(_ dy: Float, input x: Float, output y: Float) -> Float {
        x <= -3 ? 0 : x >= 3 ? dy : dy * (x / 3 + 0.5)
    }
    @inline(__always) func value(_ x: SIMD16<Float>) -> SIMD16<Float> {
        let shifted = x + 3
        return x * shifted.replacing(with: 0, where: shifted .< 0).replacing(with: 6, where: shifted .> 6) / 6
    }
    @inline(__always) func gradient(_ dy: SIMD16<Float>, input x: SIMD16<Float>, output y: SIMD16<Float>) -> SIMD16<Float> {
        (dy * (x / 3 + 0.5)).replacing(with: dy, where: x .>= 3).replacing(with: 0, where: x .<= -3)
    }
}

/// PyTorch's `softplus` and `softplus_backward`: linear where beta·x > threshold; below it
/// f′ = z / (z + 1) with z = e^(beta·x) (infinite output and NaN slope where e^(beta·x) overflows, as PyTorch).
private struct SoftplusFormula: ActivationFormula {
    let beta: Float, threshold: Float
    @inline(__always) func value(_ x: Float) -> Float {
        x * beta > threshold ? x : Foundation.log1p(Foundation.exp(x * beta)) / beta
    }
    @inline(__always) func slope(input x: Float, output y: Float) -> Float {
        guard !(x * beta > threshold) else { return 1 }
        let z = Foundation.exp(x * beta)
        return z / (z + 1)
    }
}

/// PyTorch's `mish` and `mish_backward`: f′ = tanh(sp) + x · σ(x) · (1 − tanh²(sp)), sp = log(1 + eˣ).
private struct MishFormula: ActivationFormula {
    @inline(__always) func tanhSoftplus(_ x: Float) -> Float { Foundation.tanh(Foundation.log1p(Foundation.exp(x))) }
    @inline(__always) func value(_ x: Float) -> Float { x * tanhSoftplus(x) }
    @inline(__always) func slope(input x: Float, output y: Float) -> Float {
        let sigmoid = 1 / (1 + Foundation.exp(-x)), tanhSoftplus = tanhSoftplus(x)
        return tanhSoftplus + x * sigmoid * (1 - tanhSoftplus * tanhSoftplus)
    }
}
