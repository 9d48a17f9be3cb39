/// `nn.ModuleList`: children named by their index, held for a module that calls them itself
/// (TransformerEncoder's `layers`); it has no forward pass of its own.
public final class ModuleList: Module {
    public init(_ modules: [Module]) {
        super.init()
        for (index, module) in modules.enumerated() { registerModule(String(index), module) }
    }

    /// PyTorch's `ModuleList.__repr__`: a run of children printing alike is one line,
    /// `(0-1): 2 x TransformerEncoderLayer(…)`.
    override public var childDescriptions: [String] {
        var runs: [(start: Int, end: Int, description: String)] = []
        for (index, child) in children.enumerated() {
            let description = child.module.description
            if let last = runs.last, last.description == description {
                runs[runs.count - 1].end = index
            } else {
                runs.append((index, index, description))
            }
        }
        return runs.map { run in
            run.start == run.end ? "(\(run.start)): \(run.description)"
                : "(\(run.start)-\(run.end)): \(run.end - run.start + 1) x \(run.description)"
        }
    }

    override public func forward(_ input: Variable) throws(NNError) -> Variable {
        throw .invalidArgument("ModuleList has no forward pass; its owner calls its modules")
    }
}
