import Foundation
import NNCatalogue
import Testing
@testable import NNSpec

/// Thousands of seeded random mutations of the corpus: each yields diagnostics or a valid spec,
/// never a crash, every diagnostic inside the file, all in bounded time.
@Suite struct RobustnessTests {
    /// SplitMix64: a small seeded generator, so a failing case can be replayed by its seed.
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let replacements = [
        "99999999999999999999", "-1", "0", "1e400", "2147483648", "9223372036854775807*2", "[1, 2]", "{a: 1}",
        "true", "'x'", "~", "auto", "(", "16*", "&a x", "*a", "!!str x", "[[[[", "é", "\t", "\u{0}", "- ", ": ",
        "input", "from: [x, y]", "{type: Add, from: [input, input]}", "Flatten", "N",
    ]

    static func mutate(_ text: String, using generator: inout SeededGenerator) -> String {
        var scalars = Array(text.unicodeScalars)
        for _ in 0..<Int.random(in: 1...3, using: &generator) where !scalars.isEmpty {
            let position = Int.random(in: 0..<scalars.count, using: &generator)
            switch Int.random(in: 0..<5, using: &generator) {
            case 0:
                scalars.removeSubrange(position..<min(scalars.count, position + Int.random(in: 1...4, using: &generator)))
            case 1:
                let other = Int.random(in: 0..<scalars.count, using: &generator)
                scalars.swapAt(position, other)
            case 2:
                let replacement = replacements.randomElement(using: &generator) ?? ""
                let end = min(scalars.count, position + Int.random(in: 0...6, using: &generator))
                scalars.replaceSubrange(position..<end, with: replacement.unicodeScalars)
            case 3:
                let digits = scalars.indices.filter { ("0"..."9").contains(scalars[$0]) }
                if let digit = digits.randomElement(using: &generator) {
                    scalars.replaceSubrange(digit...digit, with: "987654321987654321".unicodeScalars)
                }
            default:
                let lineStart = scalars[..<position].lastIndex(of: "\n").map { $0 + 1 } ?? 0
                let lineEnd = scalars[position...].firstIndex(of: "\n") ?? scalars.count
                scalars.insert(contentsOf: scalars[lineStart..<lineEnd] + ["\n"], at: lineStart)
            }
        }
        return String(String.UnicodeScalarView(scalars))
    }

    @Test func mutatedSpecsGiveDiagnosticsOrSuccessNeverACrash() throws {
        let paths = CorpusTests.specs(in: "specs/valid") + CorpusTests.specs(in: "examples") + CorpusTests.specs(in: "specs/invalid")
        let sources = try paths.map { ($0, try String(contentsOfFile: $0, encoding: .utf8)) }
        var generator = SeededGenerator(state: 20_261_127)
        let clock = ContinuousClock()
        var slowest = Duration.zero
        var outcomes = (valid: 0, invalid: 0)
        let elapsed = clock.measure {
            for round in 0..<5000 {
                let (path, source) = sources[round % sources.count]
                let mutated = Self.mutate(source, using: &generator)
                var result: ValidationResult?
                let time = clock.measure {
                    result = SpecValidator.standard.validate(
                        source: Array(mutated.utf8), file: path, baseDirectory: URL(fileURLWithPath: path).deletingLastPathComponent().path)
                }
                slowest = max(slowest, time)
                guard let result else { continue }
                let lineCount = mutated.split(separator: "\n", omittingEmptySubsequences: false).count
                #expect(result.isValid != result.diagnostics.containsError, "round \(round) of \(path)")
                for mark in result.diagnostics.compactMap(\.mark) {
                    #expect(mark.line >= 1 && mark.line <= lineCount + 1 && mark.column >= 1, "round \(round): \(mark)")
                }
                if result.isValid { outcomes.valid += 1 } else { outcomes.invalid += 1 }
            }
        }
        #expect(elapsed < .seconds(20))
        #expect(slowest < .seconds(1))
        #expect(outcomes.valid > 0 && outcomes.invalid > 0)
    }

    @Test func hugeAndHostileValuesAreDiagnosed() {
        let cases = [
            "nnspec: 1\ninput: [N, 9223372036854775807]\nlayers: [ReLU]\n",
            "nnspec: 1\ninput: [N, -9223372036854775808]\nlayers: [ReLU]\n",
            "nnspec: 1\ninput: [N, 1, 2147483647, 2147483647]\nlayers: [Flatten]\n",
            "nnspec: 1\ninput: [N, 8]\nlayers: [{type: Linear, in_features: 8, out_features: ((((((((((((((((((((((((((((((((((1))))))))))))))))))))))))))))))))))}]\n",
            "nnspec: 1\ninput: [N, 3, 9, 9]\nlayers: [{type: Conv2d, in_channels: 3, out_channels: 2147483647, kernel_size: 2147483647, dilation: 2147483647, padding: 2147483647}]\n",
            "nnspec: 1\ninput: [N, 3, 9, 9]\nlayers: [{type: MaxPool2d, kernel_size: 2147483647, stride: 2147483647, ceil_mode: true, dilation: 2147483647}]\n",
        ]
        for text in cases {
            let result = validate(text)
            #expect(result.diagnostics.containsError, "\(text)")
        }
    }
}
