import NNTensor
import Testing
@testable import NN

/// A variable of `shape` with entries uniform in [low, high), from `generator`.
func randomVariable(_ shape: [Int], _ generator: inout RandomGenerator, in range: ClosedRange<Float> = -1...1,
                    requiresGrad: Bool = true) -> Variable {
    Variable(Initializer.uniform(shape: shape, bound: 1, generator: &generator).mapped {
        range.lowerBound + ($0 + 1) / 2 * (range.upperBound - range.lowerBound)
    }, requiresGrad: requiresGrad)
}

extension Tensor {
    func mapped(_ transform: (Float) -> Float) -> Tensor { Tensor(shape: shape, scalars: scalars.map(transform)) }
}

/// Checks the analytic gradients of `function` with respect to `variables` against central finite
/// differences of ⟨function(variables), r⟩ for a fixed random projection r (so non-scalar outputs
/// test their whole Jacobian), in float32 with step `step`. Each analytic entry must satisfy
/// |analytic − numeric| ≤ absoluteTolerance + relativeTolerance·|numeric|.
func expectGradientsMatch(_ variables: [Variable], step: Float = 1e-2, absoluteTolerance: Double = 2e-3,
                          relativeTolerance: Double = 1e-2, seed: UInt64 = 99,
                          sourceLocation: SourceLocation = #_sourceLocation,
                          _ function: () throws -> Variable) throws {
    var generator = RandomGenerator(seed: seed)
    let output = try function()
    let projection = Initializer.uniform(shape: output.shape, bound: 1, generator: &generator)
    for variable in variables { variable.grad = nil }
    try output.backward(gradient: projection)
    func projected() throws -> Double {
        let value = try noGrad { try function() }.value
        return zip(value.scalars, projection.scalars).reduce(0) { $0 + Double($1.0) * Double($1.1) }
    }
    for (position, variable) in variables.enumerated() {
        let analytic = try #require(variable.grad, "variable \(position) got no gradient", sourceLocation: sourceLocation)
        #expect(analytic.shape == variable.shape, sourceLocation: sourceLocation)
        var worst: (index: Int, analytic: Float, numeric: Double)?
        for index in variable.value.scalars.indices {
            let original = variable.value.scalars[index]
            variable.value.scalars[index] = original + step
            let plus = try projected()
            variable.value.scalars[index] = original - step
            let minus = try projected()
            variable.value.scalars[index] = original
            let numeric = (plus - minus) / (2 * Double(step))
            let error = abs(Double(analytic.scalars[index]) - numeric)
            if error > absoluteTolerance + relativeTolerance * abs(numeric), worst == nil {
                worst = (index, analytic.scalars[index], numeric)
            }
        }
        #expect(worst == nil, "variable \(position) \(variable.shape): element \(worst?.index ?? -1) analytic \(worst?.analytic ?? 0) numeric \(worst?.numeric ?? 0)",
                sourceLocation: sourceLocation)
    }
}
