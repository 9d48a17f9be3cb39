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
        var given = [String: Tensor](minimumCapacity: file.tensors.count)
        for named in file.tensors { given[named.name] = named.tensor }
        try loadState(available: file.tensors.map { ($0.name, $0.tensor.shape) }) { name in given[name]! }
    }

    /// As `loadState(from:)` for a `SafetensorsFile`, matching names and shapes against the reader's
    /// header before reading any tensor, then reading only this module's: memory is bounded by the
    /// module's own state, whatever else the file holds. Nothing changes if a read fails.
    /// `strippingPrefix` ("module." of a `DataParallel` model) is removed from the file's names that
    /// start with it before they are matched; the others are matched as they are, and a name that
    /// both spellings give is unexpected (the file is ambiguous).
    public func loadState(from reader: SafetensorsReader, strippingPrefix prefix: String = "") throws(SafetensorsError) {
        var fileName = [String: String](minimumCapacity: reader.entries.count)
        var ambiguous: [String] = []
        for entry in reader.entries {
            let name = Self.stripping(prefix, from: entry.name)
            if fileName.updateValue(entry.name, forKey: name) != nil { ambiguous.append(entry.name) }
        }
        guard ambiguous.isEmpty else { throw .incompatibleState(missing: [], unexpected: ambiguous, shapeMismatches: []) }
        try loadState(available: reader.entries.map { (Self.stripping(prefix, from: $0.name), $0.shape) }) { (name) throws(SafetensorsError) in
            try reader.tensor(named: fileName[name] ?? name).tensor
        }
    }

    private static func stripping(_ prefix: String, from name: String) -> String {
        !prefix.isEmpty && name.hasPrefix(prefix) ? String(name.dropFirst(prefix.count)) : name
    }

    /// Checks `available` (name, shape) pairs against `stateDictionary()`, then reads each entry's
    /// tensor with `read` and assigns them all once every read has succeeded.
    private func loadState(available: [(name: String, shape: [Int])],
                           read: (String) throws(SafetensorsError) -> Tensor) throws(SafetensorsError) {
        let entries = stateDictionary()
        var shapes = [String: [Int]](minimumCapacity: available.count)
        for (name, shape) in available { shapes[name] = shape }
        let missing = entries.map(\.name).filter { shapes[$0] == nil }
        let known = Set(entries.map(\.name))
        let unexpected = available.map(\.name).filter { !known.contains($0) }
        let mismatched = entries.compactMap { entry -> String? in
            guard let shape = shapes[entry.name], shape != entry.variable.shape else { return nil }
            return "\(entry.name): \(shape) in the file, \(entry.variable.shape) in the module"
        }
        guard missing.isEmpty, unexpected.isEmpty, mismatched.isEmpty else {
            throw .incompatibleState(missing: missing, unexpected: unexpected, shapeMismatches: mismatched)
        }
        var values: [Tensor] = []
        for entry in entries { values.append(try read(entry.name)) }
        for (entry, value) in zip(entries, values) { entry.variable.value = value }
    }
}
