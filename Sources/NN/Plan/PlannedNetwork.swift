import NNTensor

/// How `TrainingPlan` turns a network into planned layers: the chain of modules, their shapes and
/// one `PlannedLayer` per module.
extension TrainingPlan {
    /// The modules `network` applies one after another: a Sequential's children, or the nodes of
    /// a Graph that is a plain chain (functional steps included), nested ones unrolled.
    static func chain(_ network: Module) throws(TrainingPlanError) -> [Module] {
        let steps: [Module]
        if network is Sequential {
            steps = network.children.map(\.module)
        } else if let graph = network as? Graph, let chain = graph.chainModules {
            steps = chain
        } else {
            throw .unsupported("\(network.typeName) is not planned (only Sequential networks and chains are)")
        }
        var modules: [Module] = []
        for module in steps {
            if module is Sequential || module is Graph { modules += try chain(module) } else { modules.append(module) }
        }
        return modules
    }

    /// Throws unless every parameter requires a gradient, appears once, and there is one at all.
    static func checkParameters(of modules: [Module]) throws(TrainingPlanError) {
        var seen = Set<ObjectIdentifier>()
        let parameters = modules.flatMap { $0.parameters() }
        guard !parameters.isEmpty else { throw .unsupported("the network has no parameters to train") }
        for parameter in parameters {
            guard parameter.requiresGrad, seen.insert(ObjectIdentifier(parameter)).inserted else {
                throw .unsupported("a parameter of shape \(parameter.shape) is frozen or shared between layers")
            }
        }
    }

    /// `module`'s output shape for `input`, from a forward pass on zeros without a graph (so the
    /// shape and its errors are autograd's own). Called only for modules whose forward pass changes
    /// no state (no dropout draw, no running statistics).
    static func outputShape(of module: Module, input: [Int]) throws(TrainingPlanError) -> [Int] {
        do {
            return try noGrad { try module(Variable(Tensor(zeros: input))).shape }
        } catch {
            throw .unsupported("\(module.typeName) does not run on input \(input): \(error)")
        }
    }

    /// The planned form of `module` for `input` and its output shape; a nil layer for a module that
    /// returns its input. Throws for a module it cannot plan before running anything.
    static func plannedLayer(_ module: Module, input: [Int],
                             memory: PlanMemory) throws(TrainingPlanError) -> (layer: (any PlannedLayer)?, output: [Int]) {
        switch module {
        case let convolution as Conv2d:
            let output = try outputShape(of: module, input: input)
            guard let planned = PlannedConvolution(convolution, input: input) else {
                throw .unsupported("Conv2d with padding='same' and an odd dilation·(kernel − 1) is not planned")
            }
            return (planned, output)
        case let linear as Linear:
            let output = try outputShape(of: module, input: input)
            return (PlannedLinear(linear, input: input), output)
        case let activation as any ActivationLayer:
            return (PlannedActivation(function: activation.function, count: input.elementCount), input)
        case let pooling as MaxPool2d:
            let output = try outputShape(of: module, input: input)
            return (PlannedMaxPooling(window: try window(of: pooling, input: input), batch: input[0], indices: memory.indices(output.elementCount)),
                    output)
        case let pooling as AvgPool2d:
            let output = try outputShape(of: module, input: input)
            return (PlannedAveragePooling(window: try window(of: pooling, input: input), batch: input[0], countIncludePad: pooling.countIncludePad),
                    output)
        case let normalization as BatchNormalization:
            // Checked without running it: its forward pass in training mode updates the running statistics.
            do { try normalization.checkInput(input) } catch { throw .unsupported(error.description) }
            guard let planned = PlannedBatchNorm(normalization, input: input, memory: memory) else {
                throw .unsupported("\(module.typeName) on \(input) has a single value per channel")
            }
            return (planned, input)
        case is Flatten, is Identity:
            return (nil, try outputShape(of: module, input: input))
        case let dropout as Dropout where dropout.p == 0:
            return (nil, input)
        case let dropout as Dropout:
            return (PlannedDropout(layer: dropout, count: input.elementCount, mask: memory.floats(input.elementCount)), input)
        default:
            throw .unsupported("\(module.typeName) layers are not planned")
        }
    }

    /// `convolution` (a Conv2d), a ReLU and `pooling` (a MaxPool2d) as one planned layer for `input`,
    /// with the pooling's output shape; nil when the convolution does not have stride 1.
    static func convolutionReLUMaxPooling(_ convolution: Module, _ pooling: Module, input: [Int],
                                          memory: PlanMemory) throws(TrainingPlanError) -> (layer: any PlannedLayer, output: [Int])? {
        let (convolutionLayer, convolutionOutput) = try plannedLayer(convolution, input: input, memory: memory)
        guard let planned = convolutionLayer as? PlannedConvolution, convolutionOutput.elementCount > 0,
              StrideOneConvolution(planned.shape.window) != nil else {
            return nil
        }
        let (poolingLayer, output) = try plannedLayer(pooling, input: convolutionOutput, memory: memory)
        guard let maxPooling = poolingLayer as? PlannedMaxPooling,
              let fused = PlannedConvolutionReLUMaxPooling(planned, pooling: maxPooling, memory: memory) else { return nil }
        guard output.elementCount > 0 else { throw .unsupported("\(pooling.typeName) gives an empty output \(output)") }
        return (fused, output)
    }

    /// A pooling layer's window over `input`, which its forward pass accepted.
    private static func window(of pooling: MaxPool2d, input: [Int]) throws(TrainingPlanError) -> Window2d {
        do { return try pooling.window(for: input) } catch { throw .unsupported("MaxPool2d on \(input): \(error)") }
    }

    private static func window(of pooling: AvgPool2d, input: [Int]) throws(TrainingPlanError) -> Window2d {
        do { return try pooling.window(for: input) } catch { throw .unsupported("AvgPool2d on \(input): \(error)") }
    }
}
