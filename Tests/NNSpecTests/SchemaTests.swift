import Foundation
import NNCatalogue
import Testing
@testable import NNSpec

/// `nnspec schema` against the corpus: every valid spec and example is accepted by the schema
/// (checked by an evaluator of the draft 2020-12 keywords the schema uses, over the YAML nodes),
/// specs the validator refuses for a key or a value are refused too, and Conv2d's definition is
/// compared with a committed copy, so the structure cannot drift silently.
/// tools/check_schema.py checks the same with Python's jsonschema.
@Suite struct SchemaTests {
    static let text = SpecSchema.json(StandardCatalogue.catalogue)
    static var schema: [String: Any]? { try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] }

    /// The JSON value a YAML scalar stands for, as yaml-language-server reads it (YAML 1.2 core).
    static func scalar(_ node: YAMLNode) -> Any? {
        guard case .scalar(let text, let isPlain) = node.content else { return nil }
        guard isPlain else { return text }
        if node.isNull { return NSNull() }
        if ["true", "True", "TRUE"].contains(text) { return true }
        if ["false", "False", "FALSE"].contains(text) { return false }
        if let integer = Int(text) { return integer }
        if text.allSatisfy({ "0123456789+-.eE".contains($0) }), let number = Double(text) { return number }
        return text
    }

    static func types(of node: YAMLNode) -> Set<String> {
        switch node.content {
        case .sequence: return ["array"]
        case .mapping: return ["object"]
        case .scalar:
            switch scalar(node) {
            case is NSNull: return ["null"]
            case is Bool: return ["boolean"]
            case is Int: return ["integer", "number"]
            case is Double: return ["number"]
            default: return ["string"]
            }
        }
    }

    static func equal(_ value: Any, _ node: YAMLNode) -> Bool {
        switch (value, scalar(node)) {
        case (let expected as String, let actual as String): return expected == actual
        case (let expected as NSNumber, let actual as Int): return !(scalar(node) is Bool) && expected.doubleValue == Double(actual)
        case (let expected as NSNumber, let actual as Double): return expected.doubleValue == actual
        default: return false
        }
    }

    /// Whether `node` satisfies `schema` (draft 2020-12: the keywords SpecSchema writes).
    static func accepts(_ schema: Any, _ node: YAMLNode, root: [String: Any]) -> Bool {
        if let flag = schema as? Bool { return flag }
        guard let schema = schema as? [String: Any] else { return false }
        func holds(_ subschema: Any) -> Bool { accepts(subschema, node, root: root) }
        if let reference = schema["$ref"] as? String {
            let name = String(reference.dropFirst("#/$defs/".count))
            guard let definitions = root["$defs"] as? [String: Any], let target = definitions[name], holds(target) else { return false }
        }
        if let all = schema["allOf"] as? [Any], !all.allSatisfy(holds) { return false }
        if let options = schema["anyOf"] as? [Any], !options.contains(where: holds) { return false }
        if let negated = schema["not"], holds(negated) { return false }
        if let condition = schema["if"] {
            if holds(condition) {
                if let then = schema["then"], !holds(then) { return false }
            } else if let otherwise = schema["else"], !holds(otherwise) {
                return false
            }
        }
        let allowed = (schema["type"] as? String).map { [$0] } ?? schema["type"] as? [String]
        if let allowed, types(of: node).isDisjoint(with: allowed) { return false }
        if let constant = schema["const"], !equal(constant, node) { return false }
        if let values = schema["enum"] as? [Any], !values.contains(where: { equal($0, node) }) { return false }
        if let text = scalar(node) as? String, let pattern = schema["pattern"] as? String,
           text.range(of: pattern, options: .regularExpression) == nil { return false }
        if let number = (scalar(node) as? Int).map(Double.init) ?? scalar(node) as? Double {
            if let bound = (schema["minimum"] as? NSNumber)?.doubleValue, number < bound { return false }
            if let bound = (schema["maximum"] as? NSNumber)?.doubleValue, number > bound { return false }
            if let bound = (schema["exclusiveMinimum"] as? NSNumber)?.doubleValue, number <= bound { return false }
            if let bound = (schema["exclusiveMaximum"] as? NSNumber)?.doubleValue, number >= bound { return false }
        }
        if let items = node.items {
            if let minimum = schema["minItems"] as? Int, items.count < minimum { return false }
            if let maximum = schema["maxItems"] as? Int, items.count > maximum { return false }
            let prefix = schema["prefixItems"] as? [Any] ?? []
            for (index, item) in items.enumerated() {
                let itemSchema: Any? = index < prefix.count ? prefix[index] : schema["items"]
                if let itemSchema, !accepts(itemSchema, item, root: root) { return false }
            }
        }
        if let pairs = node.pairs {
            if let minimum = schema["minProperties"] as? Int, pairs.count < minimum { return false }
            if let maximum = schema["maxProperties"] as? Int, pairs.count > maximum { return false }
            let keys = pairs.compactMap(\.keyText)
            if let required = schema["required"] as? [String], !required.allSatisfy(keys.contains) { return false }
            let properties = schema["properties"] as? [String: Any] ?? [:]
            for pair in pairs {
                guard let key = pair.keyText else { return false }
                if let names = schema["propertyNames"], !accepts(names, pair.key, root: root) { return false }
                if let property = properties[key] {
                    if !accepts(property, pair.value, root: root) { return false }
                } else if let additional = schema["additionalProperties"], !accepts(additional, pair.value, root: root) {
                    return false
                }
            }
        }
        return true
    }

    static func accepts(_ text: String) throws -> Bool {
        let schema = try #require(Self.schema)
        let node = try #require(try YAMLComposer().compose(Array(text.utf8)))
        return accepts(schema, node, root: schema)
    }

    @Test(arguments: CorpusTests.specs(in: "specs/valid") + CorpusTests.specs(in: "specs/parity") + CorpusTests.specs(in: "examples"))
    func schemaAcceptsEveryValidSpec(path: String) throws {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(try Self.accepts(text), "\(path)")
    }

    @Test(arguments: [
        "nnspec: 1\ninput: [N, 4]\nlayers: [ReLU]\noptimiser: SGD\n",
        "nnspec: 1\ninput: [N, 4]\nlayers: [{type: Linear, in_features: 4, out_features: 2, bais: true}]\n",
        "nnspec: 1\ninput: [N, 4]\nlayers: [Relu]\n",
        "nnspec: 1\ninput: [N, 4]\nlayers: [{type: Linear, in_features: 4}]\n",
        "nnspec: 1\ninput: [N, 4]\nlayers: [ReLU]\nloss: {type: MSELoss, reduction: avg}\n",
        "nnspec: 2\ninput: [N, 4]\nlayers: [ReLU]\n",
        "nnspec: 1\ninput: [N, 4]\nlayers: [{type: Dropout, p: 1.5}]\n",
        "nnspec: 1\ninput: [N, 4]\nlayers: [ReLU]\noptimizer: {type: SGD, lr: -0.1}\n",
        "nnspec: 1\ninput: [N, 4]\nlayers: [{type: Linear, in_features: 4, out_features: -3}]\n",
        "nnspec: 1\ninput: [N, 784]\nlayers: [{type: Linear, in_features: \"784\", out_features: 10}]\n",
        "nnspec: 1\ninput: [N, 4]\nlayers: [{type: Linear, in_features: 4, out_features: 2147483648}]\n",
        "nnspec: 1\ninput: [N, 4]\nlayers: [{type: Sequential, layers: [{call: F.relu}]}]\n",
        "nnspec: 1\ninput: [N, 4]\nlayers: [{type: ReLU, when: true}]\n",
        "nnspec: 1\ninput: [N, 4]\nlayers: [ReLU]\ndata: {batch_size: 0, train: {source: random, samples: 8}}\n",
        "nnspec: 1\ninput: [N, 4]\nlayers: [ReLU]\ntrain: {epochs: 0}\n",
        "nnspec: 1\ninput: [N, 4]\nlayers: [ReLU]\nexpect: {accuracy_at_least: 2}\n",
    ])
    func schemaRejectsWhatTheValidatorRejects(text: String) throws {
        #expect(try !Self.accepts(text))
        #expect(!validate(text).isValid)
    }

    /// Expressions of a block's arguments where nnspec writes the values in, and arithmetic anywhere.
    @Test func schemaAcceptsExpressionsWhereTheValidatorDoes() throws {
        let text = """
            nnspec: 1
            input: [N, 8]
            blocks:
              Widen:
                arguments: {features: int, factor: 2, bias: true, p: 0.5}
                layers:
                  - {name: fc, type: Linear, in_features: features, out_features: features*factor, bias: bias}
                  - {type: Dropout, p: p}
                  - {type: Linear, in_features: (features*factor), out_features: features, repeat: 1}
            layers:
              - {block: Widen, features: 8}
              - {name: head, type: Linear, in_features: 2*4, out_features: 2}

            """
        #expect(try Self.accepts(text))
        #expect(validate(text).isValid)
    }

    @Test func theSchemaIsDraft2020WithAnIdAndDefinitionsPerType() throws {
        let schema = try #require(Self.schema)
        #expect(schema["$schema"] as? String == "https://json-schema.org/draft/2020-12/schema")
        #expect(schema["$id"] as? String == SpecSchema.identifier)
        let definitions = try #require(schema["$defs"] as? [String: Any])
        for name in ["layer.Linear", "block.layer.Linear", "call.F.relu", "loss.CrossEntropyLoss", "optimizer.Adam",
                     "scheduler.StepLR", "source.csv", "entry", "block.entry", "sequentialEntry"] {
            #expect(definitions[name] != nil, "\(name)")
        }
        let adam = try #require((definitions["optimizer.Adam"] as? [String: Any])?["properties"] as? [String: Any])
        let betas = try #require(adam["betas"] as? [String: Any])
        #expect((betas["default"] as? [Double]) == [0.9, 0.999])
        let item = try #require(betas["items"] as? [String: Any])
        #expect(item["minimum"] as? Int == 0 && item["exclusiveMaximum"] as? Int == 1)
    }

    /// Conv2d's definition (the `then` of `type: Conv2d`) as committed in Fixtures/schema-layer-Conv2d.json.
    @Test func conv2dDefinitionMatchesTheCommittedOne() throws {
        let schema = try #require(Self.schema)
        let definitions = try #require(schema["$defs"] as? [String: Any])
        let conv2d = try #require(definitions["layer.Conv2d"])
        let generated = try JSONSerialization.data(withJSONObject: conv2d, options: [.sortedKeys, .prettyPrinted])
        let path = repositoryRoot.appending(path: "Tests/NNSpecTests/Fixtures/schema-layer-Conv2d.json").path
        let committed = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path)))
        let expected = try JSONSerialization.data(withJSONObject: committed, options: [.sortedKeys, .prettyPrinted])
        #expect(String(decoding: generated, as: UTF8.self) == String(decoding: expected, as: UTF8.self))
        let entry = try #require(((definitions["entry"] as? [String: Any])?["else"] as? [String: Any])?["allOf"] as? [[String: Any]])
        #expect(entry.contains { ($0["then"] as? [String: Any])?["$ref"] as? String == "#/$defs/layer.Conv2d" })
    }
}
