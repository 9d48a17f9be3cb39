/// eˣ over 16 floats with the bits of the C library's `expf`, so a vector loop gives what a scalar
/// loop calling `Foundation.exp` gives, three to four times faster. glibc's algorithm as it runs on
/// machines with FMA: in double precision, x · 32/ln 2 = k + r with k an integer and |r| ≤ ½,
/// 2^(k/32) from a table of the 32 powers 2^(i/32), 2^(r/32) from a cubic; then one rounding to
/// float. Equal to glibc's `expf` for all 2³² inputs on machines with FMA, which the project's
/// builds require (VectorExpTests samples them, and checks them all on request); glibc's build for
/// machines without FMA rounds two of them the other way.
enum VectorExp {
    @_transparent static func exp(_ x: SIMD16<Float>) -> SIMD16<Float> {
        SIMD16(lowHalf: exp(x.lowHalf), highHalf: exp(x.highHalf))
    }

    /// 32/ln 2, so that x · scaledInverseLn2 counts 32nds of powers of 2.
    private static let scaledInverseLn2 = 0x1.71547652b82fep+0 * 32.0
    /// 1.5 · 2⁵²: added to a double below 2⁵¹ in magnitude, it rounds it to an integer held in the low bits.
    private static let roundingShift = 0x1.8p+52
    /// 2^(r/32) ≈ 1 + linear · r + quadratic · r² + cubic · r³.
    private static let linear = 0x1.62e42ff0c52d6p-1 / 32, quadratic = 0x1.ebfce50fac4f3p-3 / 1024
    private static let cubic = 0x1.c6af84b912394p-5 / 32768
    /// The bits of 2^(i/32) as a double, minus i << 47 (added back with k's bits, which also carry
    /// k / 32 into the exponent). In memory, read through a pointer: a vector value indexed lane by
    /// lane is copied to the stack at every lookup.
    nonisolated(unsafe) private static let powerTable: UnsafePointer<UInt64> = {
        let bits: [UInt64] = [
            0x3ff0000000000000, 0x3fefd9b0d3158574, 0x3fefb5586cf9890f, 0x3fef9301d0125b51,
            0x3fef72b83c7d517b, 0x3fef54873168b9aa, 0x3fef387a6e756238, 0x3fef1e9df51fdee1,
            0x3fef06fe0a31b715, 0x3feef1a7373aa9cb, 0x3feedea64c123422, 0x3feece086061892d,
            0x3feebfdad5362a27, 0x3feeb42b569d4f82, 0x3feeab07dd485429, 0x3feea47eb03a5585,
            0x3feea09e667f3bcd, 0x3fee9f75e8ec5f74, 0x3feea11473eb0187, 0x3feea589994cce13,
            0x3feeace5422aa0db, 0x3feeb737b0cdc5e5, 0x3feec49182a3f090, 0x3feed503b23e255d,
            0x3feee89f995ad3ad, 0x3feeff76f2fb5e47, 0x3fef199bdd85529c, 0x3fef3720dcef9069,
            0x3fef5818dcfba487, 0x3fef7c97337b9b5f, 0x3fefa4afa2a490da, 0x3fefd0765b6e4540,
        ]
        let table = UnsafeMutablePointer<UInt64>.allocate(capacity: bits.count)
        table.initialize(from: bits, count: bits.count)
        return UnsafePointer(table)
    }()

    /// +∞ above log(2¹²⁸) and 0 below log(2⁻¹⁵⁰), where the result rounds to them; NaN stays NaN.
    @_transparent private static func exp(_ x: SIMD8<Float>) -> SIMD8<Float> {
        // Lane by lane: the standard library's generic conversion is not always specialised.
        let wide = SIMD8<Double>(Double(x[0]), Double(x[1]), Double(x[2]), Double(x[3]),
                                 Double(x[4]), Double(x[5]), Double(x[6]), Double(x[7]))
        // The fused multiply-adds are where glibc's compiler fuses them; each changes some roundings.
        var k = SIMD8<Double>(repeating: roundingShift).addingProduct(SIMD8(repeating: scaledInverseLn2), wide)
        let kBits = unsafeBitCast(k, to: SIMD8<UInt64>.self)
        k -= roundingShift
        let r = (-k).addingProduct(SIMD8(repeating: scaledInverseLn2), wide)
        let index = kBits & 31
        var powerBits = SIMD8<UInt64>()
        for lane in 0..<8 { powerBits[lane] = powerTable[Int(index[lane])] }
        powerBits &+= kBits &<< 47
        let power = unsafeBitCast(powerBits, to: SIMD8<Double>.self)
        let high = SIMD8(repeating: quadratic).addingProduct(SIMD8(repeating: cubic), r)
        let low = SIMD8(repeating: 1).addingProduct(SIMD8(repeating: linear), r)
        let wideY = low.addingProduct(high, r * r) * power
        let y = SIMD8<Float>(Float(wideY[0]), Float(wideY[1]), Float(wideY[2]), Float(wideY[3]),
                             Float(wideY[4]), Float(wideY[5]), Float(wideY[6]), Float(wideY[7]))
        return y.replacing(with: .infinity, where: x .> 0x1.62e42ep6).replacing(with: 0, where: x .< -0x1.9fe368p6)
            .replacing(with: x + x, where: x .!= x)
    }
}
