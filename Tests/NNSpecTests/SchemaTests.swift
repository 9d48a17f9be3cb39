import Foundation
import NNCatalogue
import Testing
@testable import NNSpec

/// `nnspec schema` against the corpus: every valid spec and example is accepted by the schema
/// (checked by a small JSON Schema subset evaluator over the YAML nodes), and a spec with an
/// unknown key or layer argument is rejected, so the check can fail.
@Suite struct SchemaTests {
    static var schema: Any? { try? JSONSerialization.jsonObject(with: Data(SpecSchema.json(StandardCatalogue.catalogue).utf8)) }

    /// The JSON type a YAML scalar stands for, as yaml-language-server reads it.
    static func jsonTypes(of node: YAMLNode) -> Set<String> {
        switch node.content {
        case .sequence: return ["array"]
        case .mapping: return ["object"]
        case .scalar(let text, let isPlain):
            guard isPlain else { return ["string"] }
            if node.isNull { return ["null"] }
            if ["true", "false", "True", "False"].contains(text) { return ["boolean"] }
            if Int(text) != nil { return ["integer", "number"] }
            if Double(text) != nil { return ["number"] }
            return ["string"]
        }
    }

    /// Whether `node` satisfies `schema` (the keywords SpecSchema uses).
    static func accepts(_ schema: Any, _ node: YAMLNode) -> Bool {
        guard let schema = schema as? [String: Any] else { return false }
        if let options = schema["anyOf"] as? [Any], !options.contains(where: { accepts($0, node) }) { return false }
        if let type = schema["type"] as? String, !jsonTypes(of: node).contains(type) { return false }
        if let constant = schema["const"] {
            guard let text = node.scalarText, text == "\(constant)" else { return false }
        }
        if let words = schema["enum"] as? [String] {
            guard let text = node.scalarText, words.contains(text) else { return false }
        }
        if let pattern = schema["pattern"] as? String, let text = node.scalarText {
            guard text.range(of: pattern, options: .regularExpression) != nil else { return false }
        }
        if let items = node.items {
            if let minimum = schema["minItems"] as? Int, items.count < minimum { return false }
            if let maximum = schema["maxItems"] as? Int, items.count > maximum { return false }
            if let itemSchema = schema["items"], !items.allSatisfy({ accepts(itemSchema, $0) }) { return false }
        }
        if let pairs = node.pairs {
            let properties = schema["properties"] as? [String: Any] ?? [:]
            let keys = pairs.compactMap(\.keyText)
            if let required = schema["required"] as? [String], !required.allSatisfy(keys.contains) { return false }
            for pair in pairs {
                guard let key = pair.keyText else { return false }
                if let propertySchema = properties[key] {
                    if !accepts(propertySchema, pair.value) { return false }
                } else if let additional = schema["additionalProperties"] {
                    if let allowed = additional as? Bool {
                        if !allowed { return false }
                    } else if !accepts(additional, pair.value) {
                        return false
                    }
                }
            }
        }
        return true
    }

    static func document(_ text: String) throws -> YAMLNode {
        try #require(try YAMLComposer().compose(Array(text.utf8)))
    }

    @Test(arguments: CorpusTests.specs(in: "specs/valid") + CorpusTests.specs(in: "examples"))
    func schemaAcceptsEveryValidSpec(path: String) throws {
        let schema = try #require(Self.schema)
        let node = try Self.document(try String(contentsOfFile: path, encoding: .utf8))
        #expect(Self.accepts(schema, node), "\(path)")
    }

    @Test(arguments: [
        "nnspec: 1\ninput: [N, 4]\nlayers: [ReLU]\noptimiser: SGD\n",
        "nnspec: 1\ninput: [N, 4]\nlayers: [{type: Linear, in_features: 4, out_features: 2, bais: true}]\n",
        "nnspec: 1\ninput: [N, 4]\nlayers: [Relu]\n",
        "nnspec: 1\ninput: [N, 4]\nlayers: [{type: Linear, in_features: 4}]\n",
        "nnspec: 1\ninput: [N, 4]\nlayers: [ReLU]\nloss: {type: MSELoss, reduction: avg}\n",
        "nnspec: 2\ninput: [N, 4]\nlayers: [ReLU]\n",
    ])
    func schemaRejectsWhatTheValidatorRejects(text: String) throws {
        let schema = try #require(Self.schema)
        #expect(!Self.accepts(schema, try Self.document(text)))
        #expect(!validate(text).isValid)
    }
}
