import NNTensor
import Testing

@Test func reshapeKeepsScalarsInRowMajorOrder() throws {
    let tensor = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
    let reshaped = try tensor.reshaped([3, 1, 2])
    #expect(reshaped.shape == [3, 1, 2])
    #expect(reshaped.scalars == tensor.scalars)
    #expect(try Tensor(scalar: 4).reshaped([1, 1]).shape == [1, 1])
    #expect(try Tensor(zeros: [0, 5]).reshaped([5, 0, 3]).count == 0)
}

@Test func reshapeToAnotherElementCountThrowsNamingBothShapes() {
    let tensor = Tensor(zeros: [2, 3])
    #expect(throws: TensorError.shapeMismatch("cannot reshape [2, 3] (6 elements) to [4, 2]")) {
        try tensor.reshaped([4, 2])
    }
}

@Test func reshapeToANegativeDimensionThrows() {
    let tensor = Tensor(zeros: [2, 3])
    #expect(throws: TensorError.self) { try tensor.reshaped([-2, -3]) }
    #expect(throws: TensorError.self) { try tensor.reshaped([-1, 6]) }
}

@Test func errorDescriptionIsItsMessage() {
    #expect(TensorError.invalidArgument("kernel 0").description == "kernel 0")
    #expect(TensorError.shapeMismatch("[1] vs [2]").description == "[1] vs [2]")
}
