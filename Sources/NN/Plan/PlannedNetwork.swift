import NNTensor

/// How `TrainingPlan` turns a network into planned layers: the chain of modules, their shapes and
/// one `PlannedLayer` per module.
extension TrainingPlan {
    /// The modules `network` applies one after another: a Sequential's children, nested Sequentials
    /// unrolled.
    static func chain(_ network: Module) throws(TrainingPlanError) -> [Module] {
        guard network is Sequential else {
            throw .unsupported("\(network.typeName) is not planned (only Sequential networks are)")
        }
        var modules: [Module] = []
        for child in network.children {
            if child.module is Sequential { modules += try chain(child.module) } else { modules.append(child.module) }
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

    /// The input shape and each module's output shape, from one forward pass on zeros without a
    /// graph (so the shapes and their errors are autograd's own).
    static func shapes(_ modules: [Module], input: [Int]) throws(TrainingPlanError) -> [[Int]] {
        do {
            return try noGrad {
                var value = Variable(Tensor(zeros: input))
                var shapes = [input]
                for module in modules {
                    value = try module(value)
                    shapes.append(value.shape)
                }
                return shapes
            }
        } catch {
            throw .unsupported("the network does not run on input \(input): \(error)")
        }
    }

    /// The planned form of `module` for `input` → `output`; nil for a module that returns its input.
    static func plannedLayer(_ module: Module, input: [Int], output: [Int], needsInputGradient: Bool,
                             memory: PlanMemory) throws(TrainingPlanError) -> (any PlannedLayer)? {
        switch module {
        case let convolution as Conv2d:
            guard let planned = PlannedConvolution(convolution, input: input) else {
                throw .unsupported("Conv2d with padding='same' and an odd dilation·(kernel − 1) is not planned")
            }
            return planned
        case let linear as Linear:
            return PlannedLinear(linear, input: input)
        case let activation as any ActivationLayer:
            let count = input.elementCount
            return PlannedActivation(function: activation.function, count: count, derivative: needsInputGradient ? memory.floats(count) : nil)
        case let pooling as MaxPool2d:
            do {
                return PlannedMaxPooling(window: try pooling.window(for: input), batch: input[0], indices: memory.indices(output.elementCount))
            } catch {
                throw .unsupported("MaxPool2d on \(input): \(error)")
            }
        case let pooling as AvgPool2d:
            do {
                return PlannedAveragePooling(window: try pooling.window(for: input), batch: input[0], countIncludePad: pooling.countIncludePad)
            } catch {
                throw .unsupported("AvgPool2d on \(input): \(error)")
            }
        case is Flatten, is Identity:
            return nil
        case let dropout as Dropout where dropout.p == 0:
            return nil
        default:
            throw .unsupported("\(module.typeName) layers are not planned")
        }
    }
}
