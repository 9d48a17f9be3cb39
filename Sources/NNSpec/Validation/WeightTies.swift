/// `tie_weight: tok` on a Linear: the weight is an earlier Embedding's, as PyTorch code ties an
/// output layer to the input embedding (`self.head.weight = self.tok.weight`). The named module must
/// be an Embedding that comes before the Linear, with num_embeddings = out_features and
/// embedding_dim = in_features ([V, D] both).
extension SpecValidation {
    mutating func checkWeightTies(_ layers: [ResolvedLayer]) {
        for (index, layer) in layers.enumerated() {
            guard let target = layer.arguments.text("tie_weight"), let node = layer.arguments.node("tie_weight") else { continue }
            guard let source = layers[..<index].first(where: { $0.name == target && $0.role == .module }) else {
                let known = layers[..<index].filter { $0.typeName == "Embedding" }.map(\.name)
                diagnostics.error(
                    "\(layer.name) tie_weight names \(target), which is not a module before it", at: node,
                    hint: Suggestion.hint(for: target, in: known) ?? (known.isEmpty ? "tie to an Embedding that comes earlier" : "earlier Embeddings: \(known.joined(separator: ", "))"))
                continue
            }
            guard source.typeName == "Embedding" else {
                diagnostics.error("\(layer.name) tie_weight names \(target), a \(source.typeName), but only an Embedding's weight can be tied", at: node)
                continue
            }
            let embedding = [source.arguments.integer("num_embeddings"), source.arguments.integer("embedding_dim")]
            let linear = [layer.arguments.integer("out_features"), layer.arguments.integer("in_features")]
            guard let rows = embedding[0], let columns = embedding[1], let outFeatures = linear[0], let inFeatures = linear[1] else { continue }
            if [rows, columns] != [outFeatures, inFeatures] {
                diagnostics.error(
                    "\(layer.name) weight [\(outFeatures), \(inFeatures)] cannot be tied to \(target).weight [\(rows), \(columns)]", at: node,
                    hint: "out_features must be num_embeddings and in_features embedding_dim")
            }
        }
    }
}
