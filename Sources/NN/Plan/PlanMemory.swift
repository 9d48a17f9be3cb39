/// The buffers of a `TrainingPlan` (activations, gradients, pooling indices, dropout masks, statistics),
/// allocated once when the plan is made and freed with it. 64-byte aligned, uninitialised.
final class PlanMemory {
    private var allocations: [UnsafeMutableRawPointer] = []

    /// Room for `count` floats.
    func floats(_ count: Int) -> UnsafeMutablePointer<Float> { allocate(count, of: Float.self) }

    /// Room for `count` 32-bit indices.
    func indices(_ count: Int) -> UnsafeMutablePointer<Int32> { allocate(count, of: Int32.self) }

    /// Room for `count` integers (class targets).
    func integers(_ count: Int) -> UnsafeMutablePointer<Int> { allocate(count, of: Int.self) }

    private func allocate<Element>(_ count: Int, of type: Element.Type) -> UnsafeMutablePointer<Element> {
        let memory = UnsafeMutableRawPointer.allocate(byteCount: max(1, count) * MemoryLayout<Element>.stride, alignment: 64)
        allocations.append(memory)
        return memory.bindMemory(to: Element.self, capacity: max(1, count))
    }

    deinit {
        for memory in allocations { memory.deallocate() }
    }
}
