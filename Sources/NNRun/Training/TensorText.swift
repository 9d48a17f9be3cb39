import Foundation
import NNSpec
import NNTensor

/// A float tensor as PyTorch prints it (`torch._tensor_str` with the default print options:
/// precision 4, line width 80): `tensor([ 0.0081, -0.0080,  0.0150])`, switching to scientific
/// notation when the non-zero magnitudes span more than 1000× or leave [1e-4, 1e8], and to
/// `1.` style when every value is an integer. Shapes: [] and [n]; higher ranks print flattened rows.
enum TensorText {
    static func describe(_ tensor: Tensor) -> String {
        let formatter = Formatter(tensor.scalars)
        let prefix = "tensor("
        if tensor.rank == 0 { return prefix + formatter.format(tensor.scalars[0], padded: false) + ")" }
        let elementWidth = formatter.width + 2
        let perLine = max(1, (80 - prefix.count) / elementWidth)
        let texts = tensor.scalars.map { formatter.format($0, padded: true) }
        let lines = stride(from: 0, to: texts.count, by: perLine).map { texts[$0..<min($0 + perLine, texts.count)].joined(separator: ", ") }
        return prefix + "[" + lines.joined(separator: ",\n" + String(repeating: " ", count: prefix.count + 1)) + "])"
    }

    /// PyTorch's `_Formatter`: one mode and width for all values of a tensor.
    private struct Formatter {
        enum Mode { case fixed, scientific, integer }
        var mode = Mode.fixed
        var width = 1

        init(_ values: [Float]) {
            let finite = values.filter { $0.isFinite && $0 != 0 }.map { Double($0) }
            guard !finite.isEmpty else { return }
            let magnitudes = finite.map(abs)
            let smallest = magnitudes.min()!, largest = magnitudes.max()!
            let spread = largest / smallest > 1000 || largest > 1e8
            if finite.allSatisfy({ $0 == $0.rounded(.up) }) {
                mode = spread ? .scientific : .integer
            } else {
                mode = spread || smallest < 1e-4 ? .scientific : .fixed
            }
            width = finite.map { text($0).count + (mode == .integer ? 1 : 0) }.max()!
        }

        private func text(_ value: Double) -> String {
            switch mode {
            case .fixed: formatFixed(value, decimals: 4)
            case .scientific: String(format: "%.4e", value)
            case .integer: formatFixed(value, decimals: 0)
            }
        }

        func format(_ value: Float, padded: Bool) -> String {
            let double = Double(value)
            var result: String
            if value.isNaN { result = "nan" } else if value.isInfinite { result = value > 0 ? "inf" : "-inf" } else {
                result = text(double) + (mode == .integer ? "." : "")
            }
            return padded ? String(repeating: " ", count: max(0, width - result.count)) + result : result
        }
    }
}
