import Testing
@testable import NNTensor

@Test func referenceMultipliesTwoByTwo() {
    let a: [Float] = [1, 2, 3, 4], b: [Float] = [5, 6, 7, 8]
    var c = [Float](repeating: 0, count: 4)
    sgemmReference(.none, .none, m: 2, n: 2, k: 2, alpha: 1, a: a, lda: 2, b: b, ldb: 2, beta: 0, c: &c, ldc: 2)
    #expect(c == [19, 22, 43, 50])
}
