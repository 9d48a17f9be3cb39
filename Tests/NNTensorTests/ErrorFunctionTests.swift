import Foundation
import Testing
@testable import NNTensor

/// The 16-lane error function (`ErrorFunction`) and the GELU built on it against the C library's `erff`.
@Suite struct ErrorFunctionTests {
    /// Every 1021st float from 0 to 10, and its negative.
    let sweep = stride(from: Float(0).bitPattern, through: Float(10).bitPattern, by: 1021).flatMap {
        [Float(bitPattern: $0), -Float(bitPattern: $0)]
    }

    /// Within 6·10⁻⁷ of `erff` (the approximation's 1.5·10⁻⁷, the exponential's and the products'
    /// rounding), odd (−0 included), ±1 at ±∞, NaN for NaN.
    @Test func erfIsWithinSixTenMillionthsOfTheCLibrarys() {
        var worst: (error: Float, x: Float) = (0, 0)
        for start in stride(from: 0, to: sweep.count - 15, by: 16) {
            let x = SIMD16<Float>(sweep[start..<(start + 16)]), values = ErrorFunction.erf(x)
            for lane in 0..<16 where abs(values[lane] - Foundation.erf(x[lane])) > worst.error {
                worst = (abs(values[lane] - Foundation.erf(x[lane])), x[lane])
            }
        }
        #expect(worst.error <= 6e-7, "\(worst)")
        let special = ErrorFunction.erf(SIMD16(0, -0.0, .infinity, -.infinity, .nan, 0.5, -0.5, 0, 0, 0, 0, 0, 0, 0, 0, 0))
        #expect(abs(special[0]) <= 6e-7 && special[0].sign == .plus && abs(special[1]) <= 6e-7 && special[1].sign == .minus)
        #expect(special[2] == 1 && special[3] == -1 && special[4].isNaN && special[5] == -special[6])
    }

    /// GELU's value and slope within the error function's error of x · ½(1 + erff(x/√2)) and
    /// ½(1 + erff(x/√2)) + x · e^(−x²/2)/√(2π) through the C library (relative above 1).
    @Test func geluIsTheCLibraryFormulaWithinTheErrorFunctionsError() {
        let x = sweep.filter { abs($0) <= 8 }
        var y = [Float](repeating: .nan, count: x.count), slope = y
        x.withUnsafeBufferPointer { x in
            y.withUnsafeMutableBufferPointer { y in
                slope.withUnsafeMutableBufferPointer { slope in applyActivation(.gelu, input: x, output: y, derivative: slope) }
            }
        }
        for (index, x) in x.enumerated() {
            let cdf = 0.5 * (1 + Foundation.erf(x * 0.70710678118654752440))
            let expectedSlope = cdf + x * 0.39894228040143267794 * Foundation.exp(-0.5 * x * x)
            #expect(abs(y[index] - x * cdf) <= 4e-7 * max(1, abs(x)), "GELU(\(x)) = \(y[index]), not \(x * cdf)")
            #expect(abs(slope[index] - expectedSlope) <= 6e-7 * max(1, abs(x)), "GELU′(\(x)) = \(slope[index]), not \(expectedSlope)")
        }
    }
}
