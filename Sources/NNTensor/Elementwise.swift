import Foundation

// Elementwise kernels over buffers of equal length. Buffers may be empty.

/// destination[i] += source[i]
public func addAssign(_ destination: UnsafeMutableBufferPointer<Float>, _ source: UnsafeBufferPointer<Float>) {
    precondition(destination.count == source.count, "addAssign of \(source.count) into \(destination.count) elements")
    WorkerPool.shared.forEachChunk(of: destination.count) { chunk in
        for index in chunk { destination[index] += source[index] }
    }
}

/// destination[i] = a[i] · b[i]
public func multiply(_ destination: UnsafeMutableBufferPointer<Float>, _ a: UnsafeBufferPointer<Float>,
                     _ b: UnsafeBufferPointer<Float>) {
    precondition(destination.count == a.count && a.count == b.count, "multiply of \(a.count)·\(b.count) into \(destination.count) elements")
    WorkerPool.shared.forEachChunk(of: destination.count) { chunk in
        for index in chunk { destination[index] = a[index] * b[index] }
    }
}

/// destination[i] += scale · a[i] · b[i]
public func addProduct(_ destination: UnsafeMutableBufferPointer<Float>, _ a: UnsafeBufferPointer<Float>,
                       _ b: UnsafeBufferPointer<Float>, scale: Float = 1) {
    precondition(destination.count == a.count && a.count == b.count, "addProduct of \(a.count)·\(b.count) into \(destination.count) elements")
    WorkerPool.shared.forEachChunk(of: destination.count) { chunk in
        for index in chunk { destination[index] += scale * a[index] * b[index] }
    }
}

/// destination[i] += scale · a[i]
public func addScaled(_ destination: UnsafeMutableBufferPointer<Float>, _ a: UnsafeBufferPointer<Float>, scale: Float) {
    precondition(destination.count == a.count, "addScaled of \(a.count) into \(destination.count) elements")
    for index in 0..<destination.count { destination[index] += scale * a[index] }
}

/// A pointwise nonlinearity, with its parameters (PyTorch's formulas).
public enum Activation: Sendable, Equatable {
    /// max(x, 0)
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
}

/// output[i] = f(input[i]) and, when `derivative` is given, derivative[i] = f′(input[i]).
public func applyActivation(_ activation: Activation, input: UnsafeBufferPointer<Float>,
                            output: UnsafeMutableBufferPointer<Float>,
                            derivative: UnsafeMutableBufferPointer<Float>?) {
    precondition(output.count == input.count && (derivative?.count ?? input.count) == input.count,
                 "activation buffers of \(input.count), \(output.count), \(derivative?.count ?? input.count) elements")
    switch activation {
    case .relu:
        mapActivation(input, output, derivative) { x in x > 0 ? (x, 1) : (0, 0) }
    case .leakyRelu(let slope):
        mapActivation(input, output, derivative) { x in x > 0 ? (x, 1) : (x * slope, slope) }
    case .elu(let alpha):
        mapActivation(input, output, derivative) { x in
            if x > 0 { return (x, 1) }
            let exponential = Foundation.exp(x)
            return (alpha * (exponential - 1), alpha * exponential)
        }
    case .gelu:
        let inverseSqrt2: Float = 0.70710678118654752440, inverseSqrt2Pi: Float = 0.39894228040143267794
        mapActivation(input, output, derivative) { x in
            let cdf = 0.5 * (1 + Foundation.erf(x * inverseSqrt2))
            return (x * cdf, cdf + x * inverseSqrt2Pi * Foundation.exp(-0.5 * x * x))
        }
    case .geluTanh:
        let beta: Float = 0.79788456080286535588, kappa: Float = 0.044715
        mapActivation(input, output, derivative) { x in
            let inner = Foundation.tanh(beta * (x + kappa * x * x * x))
            let value = 0.5 * x * (1 + inner)
            return (value, 0.5 * (1 + inner) + 0.5 * x * (1 - inner * inner) * beta * (1 + 3 * kappa * x * x))
        }
    case .sigmoid:
        mapActivation(input, output, derivative) { x in
            let y = 1 / (1 + Foundation.exp(-x))
            return (y, y * (1 - y))
        }
    case .tanh:
        mapActivation(input, output, derivative) { x in
            let y = Foundation.tanh(x)
            return (y, 1 - y * y)
        }
    }
}

/// The loop shared by every activation; `function` returns (f(x), f′(x)) and is inlined, so the
/// derivative costs nothing when it is not stored. A large buffer is split over the worker pool.
@inline(__always)
private func mapActivation(_ input: UnsafeBufferPointer<Float>, _ output: UnsafeMutableBufferPointer<Float>,
                           _ derivative: UnsafeMutableBufferPointer<Float>?,
                           _ function: (Float) -> (value: Float, slope: Float)) {
    WorkerPool.shared.forEachChunk(of: input.count) { chunk in
        if let derivative {
            for index in chunk {
                let (value, slope) = function(input[index])
                output[index] = value; derivative[index] = slope
            }
        } else {
            for index in chunk { output[index] = function(input[index]).value }
        }
    }
}
