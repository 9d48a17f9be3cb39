/// An AdaptiveAvgPool2d layer over planned buffers, through the `AdaptivePoolingShape` loops
/// autograd's `adaptiveAvgPool2d` uses. input [N, C, H, W] → output [N, C, OH, OW].
struct PlannedAdaptiveAveragePooling: PlannedLayer {
    let shape: AdaptivePoolingShape

    init(input: [Int], output: [Int]) {
        shape = AdaptivePoolingShape(planes: input[0] * input[1], height: input[2], width: input[3],
                                     outputHeight: output[2], outputWidth: output[3])
    }

    func forward(input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>) {
        shape.forward(x: input, y: output)
    }

    func backward(input: UnsafePointer<Float>, output: UnsafePointer<Float>, outputGradient: UnsafePointer<Float>,
                  inputGradient: UnsafeMutablePointer<Float>?) {
        guard let inputGradient else { return }
        shape.accumulateInputGradient(dy: outputGradient, dx: inputGradient)
    }

    var addsIntoInputGradient: Bool { true }
}
