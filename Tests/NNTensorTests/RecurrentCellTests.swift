import Foundation
import Testing
@testable import NNTensor

/// The recurrent cells' tanh against the C library's.
@Suite struct RecurrentCellTests {
    /// The distance in units in the last place between two finite floats of the same sign.
    func ulps(_ a: Float, _ b: Float) -> UInt32 {
        let (x, y) = (a.bitPattern, b.bitPattern)
        return x > y ? x - y : y - x
    }

    /// Every 257th float from 0 to 12 (where tanh reaches 1) and its negative: within 2 ulp of
    /// `tanhf`, odd, and exact at the ends.
    @Test func cellTanhIsWithinTwoULPsOfTheCLibrarys() {
        var worst: (ulps: UInt32, x: Float) = (0, 0)
        for pattern in stride(from: UInt32(0), through: Float(12).bitPattern, by: 257) {
            let x = Float(bitPattern: pattern)
            let distance = ulps(cellTanh(x), Foundation.tanh(x))
            if distance > worst.ulps { worst = (distance, x) }
            #expect(cellTanh(-x).bitPattern == (-cellTanh(x)).bitPattern, "tanh(\(-x)) is not −tanh(\(x))")
        }
        #expect(worst.ulps <= 2, "\(worst.ulps) ulp from tanhf at \(worst.x)")
        #expect(cellTanh(0).bitPattern == Float(0).bitPattern && cellTanh(-0.0).bitPattern == Float(-0.0).bitPattern)
        #expect(cellTanh(.infinity) == 1 && cellTanh(-.infinity) == -1 && cellTanh(100) == 1)
        #expect(cellTanh(.nan).isNaN)
    }
}
