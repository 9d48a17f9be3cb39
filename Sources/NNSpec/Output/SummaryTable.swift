import NNData

/// The table `nnspec summary` prints, as torchinfo users expect it, computed statically:
/// one row per layer (name and type, output shape, parameters, mult-adds), then totals. The
/// network's name (free text, unlike layer names) is printed with control characters escaped.
public enum SummaryTable {
    public static func render(_ spec: ValidatedSpec) -> String {
        let header = ["Layer (type)", "Output Shape", "Param #", "Mult-Adds"]
        var rows = [["input", spec.input.description, "", ""]]
        for layer in spec.layers {
            rows.append([
                "\(layer.name) (\(layer.typeName))", layer.output.description,
                layer.parameterCount == 0 ? "--" : formatCount(layer.parameterCount),
                layer.multAdds == 0 ? "--" : formatCount(layer.multAdds),
            ])
        }
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
                ("name", .string(layer.name)), ("type", .string(layer.typeName)),
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
