import NNData

/// The table `nnspec summary` prints, as torchinfo users expect it, computed statically:
/// one row per layer (name and type, output shape, parameters, mult-adds), then totals. The
/// network's name (free text, unlike layer names) is printed with control characters escaped.
public enum SummaryTable {
    /// The table's column titles.
    public static let header = ["Layer (type)", "Output Shape", "Param #", "Mult-Adds"]

    /// The table's rows with `header`'s columns: the input, then one per layer under its dotted
    /// name, or with `depth` the module tree as torchinfo's `depth` shows it: each container a row
    /// holding the totals of what it contains, its children indented below it down to `depth` levels.
    public static func rows(_ spec: ValidatedSpec, depth: Int? = nil) -> [[String]] {
        let input = ["input", spec.input.description, "", ""]
        if let depth { return [input] + treeRows(spec.steps, layers: spec.layers, level: 1, depth: depth) }
        return [input] + spec.layers.map { row("\($0.name) (\($0.typeLabel))", $0.output, [$0]) }
    }

    /// The table with its totals.
    public static func render(_ spec: ValidatedSpec, depth: Int? = nil) -> String {
        let rows = rows(spec, depth: depth)
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { column, cell in
                let padding = String(repeating: " ", count: widths[column] - cell.count)
                return column < 2 ? cell + padding : padding + cell
            }.joined(separator: "   ").trimmingTrailingSpaces
        }
        let rule = String(repeating: "=", count: widths.reduce(0, +) + 3 * (widths.count - 1))
        let parameterBytes = spec.parameterCount.multipliedReportingOverflow(by: 4)
        let activationBytes = spec.activationElementsPerSample.multipliedReportingOverflow(by: 4)
        let bufferCount = saturatingSum(spec.namedBuffers.map { $0.elementCount ?? Int.max })
        var text = "\(VisibleText.escaped(spec.name))\n\(rule)\n\(line(header))\n\(rule)\n"
        text += rows.map(line).joined(separator: "\n") + "\n\(rule)\n"
        text += "Total params: \(formatCount(spec.parameterCount))\n"
        text += "Trainable params: \(formatCount(spec.parameterCount))\n"
        text += "Non-trainable params: 0\n"
        if bufferCount > 0 { text += "Buffers: \(formatCount(bufferCount))\n" }
        text += "Mult-adds per sample: \(formatCount(spec.multAdds))\n"
        text += "\(rule)\n"
        text += "Params size: \(parameterBytes.overflow ? "overflow" : formatBytes(parameterBytes.partialValue))\n"
        text += "Activations per sample (forward): \(activationBytes.overflow ? "overflow" : formatBytes(activationBytes.partialValue))\n"
        text += "\(rule)\n"
        return text
    }
}

extension SummaryTable {
    /// A row: label, output shape, and the parameters and mult-adds of `layers` ("--" for none).
    static func row(_ label: String, _ output: TensorShape, _ layers: [ResolvedLayer]) -> [String] {
        let parameters = saturatingSum(layers.map(\.parameterCount)), multAdds = saturatingSum(layers.map(\.multAdds))
        return [label, output.description, parameters == 0 ? "--" : formatCount(parameters), multAdds == 0 ? "--" : formatCount(multAdds)]
    }

    /// The rows of `steps` at `level` (1: the network's own), indented two spaces a level.
    static func treeRows(_ steps: [NetworkStep], layers: [ResolvedLayer], level: Int, depth: Int) -> [[String]] {
        let indent = String(repeating: "  ", count: level - 1)
        return steps.flatMap { step -> [[String]] in
            switch step {
            case .layer(let index):
                let layer = layers[index]
                return [row(indent + "\(layer.localName) (\(layer.typeLabel))", layer.output, [layer])]
            case .container(let container):
                let own = row(indent + "\(container.name) (\(container.className))", container.output,
                              layerIndices(container.steps).map { layers[$0] })
                return [own] + (level < depth ? treeRows(container.steps, layers: layers, level: level + 1, depth: depth) : [])
            }
        }
    }

    /// The indices of every layer in `steps`, nested ones included.
    public static func layerIndices(_ steps: [NetworkStep]) -> [Int] {
        steps.flatMap { step -> [Int] in
            switch step {
            case .layer(let index): [index]
            case .container(let container): layerIndices(container.steps)
            }
        }
    }
}

extension SummaryTable {
    /// `nnspec summary --format json`, one shape whatever the outcome (docs/json-output.md):
    /// `{"format": "nnspec.summary/1", "nnspec_version", "file", "valid", "diagnostics": […],
    /// "network": {…}}`, where "network" is null for an invalid spec.
    public static func json(file: String, diagnostics: [Diagnostic], spec: ValidatedSpec?) -> String {
        JSONValue.document("summary", [
            ("file", .string(file)), ("valid", .boolean(spec != nil)),
            ("diagnostics", .array(diagnostics.map(DiagnosticJSONRenderer.object))),
            ("network", spec.map(network) ?? .null),
        ]).rendered() + "\n"
    }

    /// The table's facts: `{"name", "input", "output", "layers": [{"name", "type", "inputs",
    /// "output", "parameters", "mult_adds", "named_parameters": {name: shape}}], "totals": {…}}`.
    static func network(_ spec: ValidatedSpec) -> JSONValue {
        func shape(_ shape: TensorShape) -> JSONValue {
            .array(shape.dimensions.map { dimension in dimension.size.map(JSONValue.integer) ?? .string(dimension.description) })
        }
        let layers = spec.layers.map { layer in
            JSONValue.object([
                ("name", .string(layer.name)), ("type", .string(layer.typeLabel)),
                ("inputs", .array(layer.inputs.map(JSONValue.string))), ("output", shape(layer.output)),
                ("parameters", .integer(layer.parameterCount)), ("mult_adds", .integer(layer.multAdds)),
                ("named_parameters", .object(layer.parameters.map { ("\(layer.name).\($0.name)", .array($0.shape.map(JSONValue.integer))) })),
            ])
        }
        let totals = JSONValue.object([
            ("parameters", .integer(spec.parameterCount)), ("trainable", .integer(spec.parameterCount)),
            ("mult_adds", .integer(spec.multAdds)),
            ("parameter_bytes", .integer(saturatingProduct([spec.parameterCount, 4]))),
            ("activation_bytes_per_sample", .integer(saturatingProduct([spec.activationElementsPerSample, 4]))),
        ])
        return .object([
            ("name", .string(spec.name)), ("input", shape(spec.input)), ("output", shape(spec.output)),
            ("layers", .array(layers)), ("totals", totals),
        ])
    }
}

extension String {
    var trimmingTrailingSpaces: String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
