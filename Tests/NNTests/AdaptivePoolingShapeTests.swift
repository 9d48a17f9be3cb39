@testable import NN
import NNTensor
import Testing

/// The forward pass, eight planes at a time and the rest one by one, gives every output the bits of
/// its bin's sum in row-major order divided by the bin's size: global pools over 1, 8 and 19 planes
/// (no full group, one, two and a rest), and overlapping 2×3 bins of 5×7 planes.
@Test(arguments: [(1, 4, 4, 1, 1), (8, 16, 16, 1, 1), (19, 3, 5, 1, 1), (11, 5, 7, 2, 3)])
func adaptivePoolingForwardIsEachBinsSumInOrder(planes: Int, height: Int, width: Int, outputHeight: Int, outputWidth: Int) {
    let shape = AdaptivePoolingShape(planes: planes, height: height, width: width, outputHeight: outputHeight, outputWidth: outputWidth)
    var random = RandomGenerator(seed: 31)
    // Magnitudes from 1e-3 to 1e3, so that the order of the additions shows in the sums' bits.
    let input = (0..<planes * height * width).map { _ in random.uniform(-1, 1) * random.uniform(0.001, 1000) }
    var output = [Float](repeating: .nan, count: planes * outputHeight * outputWidth)
    input.withUnsafeBufferPointer { x in output.withUnsafeMutableBufferPointer { y in shape.forward(x: x.baseAddress!, y: y.baseAddress!) } }
    var expected: [Float] = []
    for plane in 0..<planes {
        for outputRow in 0..<outputHeight {
            for outputColumn in 0..<outputWidth {
                let rows = outputRow * height / outputHeight..<((outputRow + 1) * height + outputHeight - 1) / outputHeight
                let columns = outputColumn * width / outputWidth..<((outputColumn + 1) * width + outputWidth - 1) / outputWidth
                var sum: Float = 0
                for row in rows { for column in columns { sum += input[(plane * height + row) * width + column] } }
                expected.append(sum / Float(rows.count * columns.count))
            }
        }
    }
    #expect(output.map(\.bitPattern) == expected.map(\.bitPattern))
}
