import NNCatalogue
import Testing
@testable import NNSpec

@Suite struct ArithmeticTests {
    @Test(arguments: [("16*5*5", 400), ("(32-4)/2", 14), ("-1", -1), (" 2 + 3 * 4 ", 14), ("-(2-5)*3", 9), ("100/10/5", 2)])
    func expressionsEvaluate(text: String, value: Int) throws {
        #expect(try IntegerExpression.evaluate(text) == value)
    }

    @Test(arguments: [
        ("7/2", "7/2 in '7/2' is not a whole number", 1),
        ("1/0", "division by zero in '1/0'", 1),
        ("9223372036854775807+1", "'9223372036854775807+1' overflows a 64-bit integer", 19),
        ("(-9223372036854775807-1)/-1", "'(-9223372036854775807-1)/-1' overflows a 64-bit integer", 24),
        ("(-9223372036854775807-1)/-3", "-9223372036854775808/-3 in '(-9223372036854775807-1)/-3' is not a whole number", 24),
        ("(1+2", "missing ')' in '(1+2'", 4),
        ("2*", "expected a number in '2*' but found the end", 2),
        ("2 3", "unexpected '3' in '2 3'", 2),
    ])
    func badExpressionsSayWhyAndWhere(text: String, message: String, offset: Int) {
        #expect(throws: IntegerExpression.Failure(message: message, offset: offset)) { try IntegerExpression.evaluate(text) }
    }

    /// Output sizes checked against PyTorch (torch 2.x):
    /// `nn.MaxPool2d(3, 2, ceil_mode=True)(torch.zeros(1, 1, 6, 6)).shape[-1]` is 3, and so on.
    @Test(arguments: [
        (WindowArithmetic(input: 32, kernel: 5, stride: 1, padding: 0), 28),
        (WindowArithmetic(input: 28, kernel: 2, stride: 2, padding: 0), 14),
        (WindowArithmetic(input: 31, kernel: 3, stride: 2, padding: 1), 16),
        (WindowArithmetic(input: 16, kernel: 3, stride: 1, padding: 0, dilation: 2), 12),
        (WindowArithmetic(input: 6, kernel: 3, stride: 2, padding: 0, ceilMode: true), 3),
        (WindowArithmetic(input: 5, kernel: 2, stride: 2, padding: 1, ceilMode: true), 3),
        (WindowArithmetic(input: 12, kernel: 3, stride: 2, padding: 0, ceilMode: true), 6),
        (WindowArithmetic(input: 7, kernel: 2, stride: 2, padding: 0), 3),
    ])
    func windowOutputMatchesPyTorch(window: WindowArithmetic, expected: Int) {
        #expect(window.output == expected)
    }

    @Test func derivationShowsTheArithmetic() {
        #expect(WindowArithmetic(input: 32, kernel: 5, stride: 1, padding: 0).derivation == "32−5+1")
        #expect(WindowArithmetic(input: 28, kernel: 2, stride: 2, padding: 0).derivation == "(28−2)/2+1")
        #expect(WindowArithmetic(input: 7, kernel: 2, stride: 2, padding: 1).derivation == "⌊(7+2×1−2)/2⌋+1")
    }

    @Test func suggestionsFindTyposSwapsAndPrefixes() {
        #expect(Suggestion.closest(to: "kernal_size", in: ["kernel_size", "stride"]) == "kernel_size")
        #expect(Suggestion.closest(to: "bais", in: ["bias", "in_features"]) == "bias")
        #expect(Suggestion.closest(to: "relu", in: ["ReLU", "GELU"]) == "ReLU")
        #expect(Suggestion.closest(to: "CrossEntropy", in: StandardCatalogue.losses.map(\.typeName)) == "CrossEntropyLoss")
        #expect(Suggestion.closest(to: "zzz", in: ["ReLU"]) == nil)
    }
}
