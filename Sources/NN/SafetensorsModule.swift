import NNTensor

extension SafetensorsFile {
    /// A module's `state_dict()`: every parameter and buffer under its full name (`conv1.weight`,
    /// `bn.running_mean` …) in PyTorch's order, counters such as `num_batches_tracked` as I64 as
    /// PyTorch saves them. Written with `write(to:)`, it loads with `safetensors.torch.load_file` and
    /// `load_state_dict` into the same PyTorch network.
    public init(stateOf module: Module, metadata: [String: String] = [:]) {
        let tensors = module.stateDictionary().map { entry in
            NamedTensor(entry.name, entry.variable.value, dtype: entry.kind == .integerBuffer ? .i64 : .f32)
        }
        self.init(tensors: tensors, metadata: metadata)
    }
}

extension Module {
    /// Loads every parameter and buffer from `file` by name, as PyTorch's `load_state_dict(strict=True)`:
    /// if a name is missing or unexpected, or a shape differs, throws `incompatibleState` listing all
    /// of them and changes nothing.
    public func loadState(from file: SafetensorsFile) throws(SafetensorsError) {
        let entries = stateDictionary()
        var given = [String: Tensor](minimumCapacity: file.tensors.count)
        for named in file.tensors { given[named.name] = named.tensor }
        let missing = entries.map(\.name).filter { given[$0] == nil }
        let known = Set(entries.map(\.name))
        let unexpected = file.names.filter { !known.contains($0) }
        let mismatched = entries.compactMap { entry -> String? in
            guard let tensor = given[entry.name], tensor.shape != entry.variable.shape else { return nil }
            return "\(entry.name): \(tensor.shape) in the file, \(entry.variable.shape) in the module"
        }
        guard missing.isEmpty, unexpected.isEmpty, mismatched.isEmpty else {
            throw .incompatibleState(missing: missing, unexpected: unexpected, shapeMismatches: mismatched)
        }
        for entry in entries {
            if let tensor = given[entry.name] { entry.variable.value = tensor }
        }
    }
}
