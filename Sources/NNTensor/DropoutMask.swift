/// Fills `mask` with dropout's multipliers, drawn from `generator` element by element in order:
/// 0 with probability p, else 1/(1 − p) (0 when p is 1). Beside the generator, whose `next` the
/// optimiser then inlines into the loop (a call per element from another module).
public func drawDropoutMask(probability: Float, generator: inout RandomGenerator, into mask: UnsafeMutableBufferPointer<Float>) {
    let scale: Float = probability < 1 ? 1 / (1 - probability) : 0
    for index in mask.indices { mask[index] = generator.nextUnitFloat() >= probability ? scale : 0 }
}
