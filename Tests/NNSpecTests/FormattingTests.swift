import Testing
@testable import NNSpec

/// The project's number formatting, one function per kind of number.
@Suite struct FormattingTests {
    /// C's `%.*f`: correctly rounded on the exact binary value (0.125 is a tie, rounded to even;
    /// 2.675 is stored just below), the sign of a negative that rounds to zero kept.
    @Test(arguments: [
        (0.7867137, 4, "0.7867"),
        (98.333333, 2, "98.33"),
        (0.125, 2, "0.12"),
        (0.375, 2, "0.38"),
        (2.675, 2, "2.67"),
        (2.5, 0, "2"),
        (14370.4, 0, "14370"),
        (-1.25, 1, "-1.2"),
        (-0.00001, 2, "-0.00"),
        (1.0, 3, "1.000"),
        (Double.nan, 2, "nan"),
        (Double.infinity, 1, "inf"),
        (-Double.infinity, 1, "-inf"),
    ])
    func fixedDecimals(value: Double, decimals: Int, text: String) {
        #expect(formatFixed(value, decimals: decimals) == text)
    }

    @Test func fixedDecimalsOfAHugeValuePrintsEveryDigit() {
        let text = formatFixed(1e300, decimals: 1)  // Python: "%.1f" % 1e300
        #expect(text == "1000000000000000052504760255204420248704468581108159154915854115511802457988908195786371375080447864043704443832883878176942523235360430575644792184786706982848387200926575803737830233794788090059368953234970799945081119038967640880074652742780142494579258788820056842838115669472196386865459400540160.0")
    }

    @Test(arguments: [
        (0.65, 6, "0.65"),
        (1e-05, 6, "1e-05"),
        (2.0, 6, "2"),
        (1.360607151234, 9, "1.36060715"),
        (123456789.0, 3, "123000000"),
        (Double.infinity, 6, "inf"),
    ])
    func significantDigits(value: Double, digits: Int, text: String) {
        #expect(formatSignificant(value, digits: digits) == text)
    }
}
