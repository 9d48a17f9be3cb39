/// The `loss:`, `optimizer:`, `train:` and `expect:` sections.
extension SpecValidation {
    /// The loss, checked against the network output: CrossEntropyLoss and NLLLoss need [N, C]
    /// scores, or [N, C, d1, …] with a class per position (and a class weight per class); a loss
    /// after a layer that already does its work is warned about.
    mutating func lossComponent(_ node: YAMLNode, output: TensorShape?, lastLayer: ResolvedLayer?) -> ResolvedLoss? {
        guard let (component, definition, typeNode) = component(node, catalogue: catalogue.losses, what: "loss"),
            let definition = definition as? any LossDefinition
        else { return nil }
        var loss = ResolvedLoss(typeName: component.typeName, arguments: component.arguments, target: definition.target, mark: component.mark)
        loss.takesProbabilities = definition.takesProbabilities
        guard let output else { return loss }
        let source = lastLayer.map { "from \($0.name) (\($0.typeName))" } ?? ""
        if definition.target == .classIndices {
            guard output.rank >= 2 else {
                diagnostics.error(
                    "\(component.typeName) needs class scores [N, C] or [N, C, d1, …] but the network output is \(output) \(source)",
                    at: typeNode, hint: "end the network with a Linear with out_features C")
                return loss
            }
            let classes = output.sampleSizes[0]
            if let weights = component.arguments.reals("weight"), weights.count != classes {
                diagnostics.error(
                    "\(component.typeName) weight has \(weights.count) values but the output has \(classes) classes",
                    at: component.arguments.node("weight"))
            }
        }
        if let lastType = lastLayer?.typeName, let warning = definition.warning(afterLastLayer: lastType) {
            diagnostics.warning(warning.message, at: typeNode, hint: warning.hint)
        }
        return loss
    }

    /// The optimizer, its arguments checked by its definition (SGD's nesterov needs momentum).
    mutating func optimizerComponent(_ node: YAMLNode) -> ResolvedComponent? {
        component(node, catalogue: catalogue.optimizers, what: "optimizer")?.component
    }

    /// `train: {epochs, steps, seed, scheduler, clip_grad_norm}`.
    mutating func trainSettings(_ node: YAMLNode) -> TrainSettings {
        var settings = TrainSettings(epochs: 1, steps: nil, seed: 0, scheduler: nil)
        guard let fields = MappingFields(node, known: ["epochs", "steps", "seed", "scheduler", "clip_grad_norm"], context: "train", diagnostics: &diagnostics)
        else { return settings }
        settings.epochs = field(fields, SectionFields.epochs, owner: "train")?.integerValue ?? settings.epochs
        settings.steps = field(fields, SectionFields.steps, owner: "train")?.integerValue
        settings.seed = field(fields, SectionFields.seed, owner: "train")?.integerValue ?? settings.seed
        settings.scheduler = fields["scheduler"].flatMap { component($0, catalogue: catalogue.schedulers, what: "scheduler")?.component }
        settings.clipGradNorm = fields["clip_grad_norm"].flatMap { gradientClipping($0) }
        return settings
    }

    /// `clip_grad_norm: {max_norm, norm_type}`.
    private mutating func gradientClipping(_ node: YAMLNode) -> GradientClipping? {
        guard let pairs = node.pairs else {
            diagnostics.error("train clip_grad_norm must be a mapping {max_norm, norm_type}, not \(node.kindDescription)", at: node,
                              hint: "write `clip_grad_norm: {max_norm: 1.0}`")
            return nil
        }
        let arguments = ArgumentReader(owner: "clip_grad_norm", specs: GradientClipping.arguments)
            .read(pairs, reserved: [], missingAt: node, into: &diagnostics)
        guard let maxNorm = arguments.real("max_norm"), let normType = arguments.real("norm_type") else { return nil }
        return GradientClipping(maxNorm: maxNorm, normType: normType)
    }

    /// `expect: {parameters, output, named_parameters, train, loss_below, loss_above, accuracy_at_least,
    /// test_loss_below, final_loss, golden}`.
    mutating func expectations(_ node: YAMLNode) -> Expectations {
        var expect = Expectations(namedParameters: [], marks: [:])
        let keys = [
            "parameters", "output", "named_parameters", "train", "loss_below", "loss_above", "accuracy_at_least",
            "test_loss_below", "final_loss", "golden",
        ]
        guard let fields = MappingFields(node, known: keys, context: "expect", diagnostics: &diagnostics) else { return expect }
        for key in keys { if let value = fields[key] { expect.marks[key] = value.mark } }
        expect.parameters = field(fields, SectionFields.parameters, owner: "expect")?.integerValue
        expect.output = fields["output"].flatMap { shape($0, what: "expect output") }
        expect.training = fields["train"].flatMap { testTraining($0) }
        expect.lossBelow = field(fields, SectionFields.lossBelow, owner: "expect")?.realValue
        expect.lossAbove = field(fields, SectionFields.lossAbove, owner: "expect")?.realValue
        expect.accuracyAtLeast = field(fields, SectionFields.accuracyAtLeast, owner: "expect")?.realValue
        expect.testLossBelow = field(fields, SectionFields.testLossBelow, owner: "expect")?.realValue
        expect.finalLoss = fields["final_loss"].flatMap { toleratedValue($0) }
        if let named = fields["named_parameters"] {
            expect.namedParameters = namedParameterShapes(named, marks: &expect.marks)
        }
        expect.golden = fields["golden"].flatMap { golden($0) }
        return expect
    }

    /// `expect train: {steps, epochs, init}`: how `nnspec test` trains, instead of the spec's `train:`.
    private mutating func testTraining(_ node: YAMLNode) -> TestTraining? {
        let known = ["steps", "epochs", "init"]
        guard let fields = MappingFields(node, known: known, context: "expect train", diagnostics: &diagnostics) else { return nil }
        return TestTraining(
            steps: field(fields, SectionFields.testSteps, owner: "expect train")?.integerValue,
            epochs: field(fields, SectionFields.testEpochs, owner: "expect train")?.integerValue,
            initialWeights: fields["init"].flatMap { accessiblePath($0, what: "expect train init") }.map(resolvedPath))
    }

    /// `final_loss: {value, tolerance}` (tolerance default 1e-5).
    private mutating func toleratedValue(_ node: YAMLNode) -> (value: Double, tolerance: Double)? {
        guard let fields = MappingFields(node, known: ["value", "tolerance"], context: "expect final_loss", diagnostics: &diagnostics)
        else { return nil }
        guard fields["value"] != nil else {
            diagnostics.error("expect final_loss needs 'value'", at: node)
            return nil
        }
        let tolerance = field(fields, SectionFields.tolerance, owner: "expect final_loss")?.realValue ?? Expectations.defaultTolerance
        return field(fields, SectionFields.expectedValue, owner: "expect final_loss")?.realValue.map { ($0, tolerance) }
    }

    /// `golden: FILE` or `golden: {file, tolerance}` (tolerance default 1e-5).
    private mutating func golden(_ node: YAMLNode) -> (file: String, tolerance: Double)? {
        if node.scalarText != nil, !node.isNull {
            return accessiblePath(node, what: "expect golden").map { ($0, Expectations.defaultTolerance) }
        }
        guard let fields = MappingFields(node, known: ["file", "tolerance"], context: "expect golden", diagnostics: &diagnostics)
        else { return nil }
        let file = fields["file"].flatMap { accessiblePath($0, what: "expect golden file") }
        let tolerance = field(fields, SectionFields.tolerance, owner: "expect golden")?.realValue ?? Expectations.defaultTolerance
        if fields["file"] == nil { diagnostics.error("expect golden needs 'file'", at: node) }
        return file.map { ($0, tolerance) }
    }

    /// `named_parameters: {conv1.weight: [6, 1, 5, 5], …}`.
    private mutating func namedParameterShapes(_ node: YAMLNode, marks: inout [String: SourceMark]) -> [ParameterShape] {
        guard let pairs = node.pairs else {
            diagnostics.error("expect named_parameters must map names to shapes, not \(node.kindDescription)", at: node)
            return []
        }
        var shapes: [ParameterShape] = []
        for pair in pairs {
            guard let name = pair.keyText, let items = pair.value.items else {
                diagnostics.error("expect named_parameters entries must be NAME: [sizes]", at: pair.value)
                continue
            }
            let sizes = items.compactMap { integer($0, .nonNegative, label: "expect \(name) size") }
            guard sizes.count == items.count else { continue }
            marks["named_parameters.\(name)"] = pair.key.mark
            shapes.append(ParameterShape(name, sizes))
        }
        return shapes
    }

    /// A value of a section read through its declaration (`SectionFields`): the written one, or the
    /// declared default when it is absent or wrong (after reporting why).
    mutating func field(_ fields: MappingFields, _ field: ArgumentSpec, owner: String) -> ArgumentValue? {
        guard let node = fields[field.name] else { return field.defaultValue }
        return reporting { () throws(ValueError) in
            try ValueParser(label: "\(owner) \(field.name)").parse(node, as: field.kind)
        } ?? field.defaultValue
    }

    /// An integer value, or nil after reporting why not.
    mutating func integer(_ node: YAMLNode, _ range: ArgumentSpec.IntegerRange, label: String) -> Int? {
        reporting { () throws(ValueError) in try ValueParser(label: label).integer(node, range) }
    }

    /// A real value, or nil after reporting why not.
    mutating func real(_ node: YAMLNode, _ range: ArgumentSpec.RealRange, label: String) -> Double? {
        reporting { () throws(ValueError) in try ValueParser(label: label).real(node, range) }
    }

    /// The parsed value, or nil after adding the parse error to the diagnostics.
    private mutating func reporting<Value>(_ parse: () throws(ValueError) -> Value) -> Value? {
        do {
            return try parse()
        } catch {
            diagnostics.add(.error, error.message, mark: error.mark, endMark: error.endMark, hint: error.hint)
            return nil
        }
    }
}
