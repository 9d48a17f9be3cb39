import Foundation
import Testing
@testable import NNTensor

/// The recurrent cells' exp, sigmoid and tanh (`CellFunctions`) against the C library's.
@Suite struct RecurrentCellTests {
    /// The distance in units in the last place between two finite floats of the same sign.
    func ulps(_ a: Float, _ b: Float) -> UInt32 {
        let (x, y) = (a.bitPattern, b.bitPattern)
        return x > y ? x - y : y - x
    }

    /// The largest distance of `function` from `reference` over every `stride`-th float from
    /// `lower` to `upper` (both positive; each with its negative when `negatives`), 16 at a time.
    func worstULPs(_ function: (SIMD16<Float>) -> SIMD16<Float>, _ reference: (Float) -> Float, from lower: Float, to upper: Float,
                   stride step: UInt32, negatives: Bool) -> (ulps: UInt32, x: Float) {
        var worst: (ulps: UInt32, x: Float) = (0, 0)
        var lanes = SIMD16<Float>(), filled = 0
        func check() {
            let values = function(lanes)
            for lane in 0..<filled where ulps(values[lane], reference(lanes[lane])) > worst.ulps {
                worst = (ulps(values[lane], reference(lanes[lane])), lanes[lane])
            }
            filled = 0
        }
        for pattern in stride(from: lower.bitPattern, through: upper.bitPattern, by: Int(step)) {
            for x in negatives ? [Float(bitPattern: pattern), -Float(bitPattern: pattern)] : [Float(bitPattern: pattern)] {
                lanes[filled] = x
                filled += 1
                if filled == 16 { check() }
            }
        }
        check()
        return worst
    }

    @Test func expIsWithinTwoULPsOfTheCLibrarys() {
        let positive = worstULPs(CellFunctions.exp, Foundation.exp, from: 1e-30, to: 88.7, stride: 263, negatives: false)
        let negative = worstULPs(CellFunctions.exp, Foundation.exp, from: -1e-30, to: -87.3, stride: 263, negatives: false)
        #expect(positive.ulps <= 2 && negative.ulps <= 2, "\(positive), \(negative)")
        let special = CellFunctions.exp(SIMD16(0, -0.0, 89, .infinity, -104, -.infinity, .nan, 1, 0, 0, 0, 0, 0, 0, 0, 0))
        #expect(special[0] == 1 && special[1] == 1 && special[2] == .infinity && special[3] == .infinity)
        #expect(special[4] == 0 && special[5] == 0 && special[6].isNaN && special[7] == Foundation.exp(Float(1)))
    }

    /// 1 / (1 + e⁻ˣ) through exp's 2 ulp: within 4 ulp of the same formula through `expf`.
    @Test func sigmoidIsWithinFourULPsOfTheCLibrarysFormula() {
        let worst = worstULPs(CellFunctions.sigmoid, { 1 / (1 + Foundation.exp(-$0)) }, from: 1e-30, to: 80, stride: 263, negatives: true)
        #expect(worst.ulps <= 4, "\(worst)")
    }

    /// Within 2 ulp of `tanhf`, odd (−0 included), and exact at the ends.
    @Test func tanhIsWithinTwoULPsOfTheCLibrarys() {
        let worst = worstULPs(CellFunctions.tanh, Foundation.tanh, from: 0, to: 12, stride: 257, negatives: true)
        #expect(worst.ulps <= 2, "\(worst)")
        let special = CellFunctions.tanh(SIMD16(0, -0.0, .infinity, -.infinity, 100, -100, .nan, 0.5, 0, 0, 0, 0, 0, 0, 0, 0))
        #expect(special[0].bitPattern == Float(0).bitPattern && special[1].bitPattern == Float(-0.0).bitPattern)
        #expect(special[2] == 1 && special[3] == -1 && special[4] == 1 && special[5] == -1 && special[6].isNaN)
    }
}
