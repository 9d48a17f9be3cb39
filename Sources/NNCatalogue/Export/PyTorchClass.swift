import NNSpec

/// How `nnspec export --to pytorch` writes one catalogue type: the Python class its resolved
/// arguments are passed to, as keywords (only those that differ from the catalogue's default).
public struct PyTorchClass: Sendable {
    /// The constructor as the generated code calls it: `nn.Conv2d`, `torch.optim.SGD`, or a class
    /// model.py defines.
    public let name: String
    /// The Python source of a class torch.nn lacks (nnspec's Add, Concat, Reshape), which model.py
    /// defines before the network; nil for PyTorch's own classes.
    public let definition: String?
    /// A scheduler stepped after every optimizer step (OneCycleLR) instead of once per epoch.
    public var stepsPerBatch = false
    /// The scheduler argument that defaults to the run's optimizer steps when the spec leaves it
    /// None (OneCycleLR's `total_steps`): train.py passes the steps it runs.
    public var runStepsArgument: String? = nil
    /// nnspec's arguments the constructor lacks, which model.py writes another way (Linear's
    /// `tie_weight`: an assignment after the children are registered).
    public var omittedArguments: Set<String> = []

    /// A class of PyTorch: `torch("nn.Linear")`.
    public static func torch(_ name: String) -> PyTorchClass { PyTorchClass(name: name, definition: nil) }

    /// A class model.py defines: `name` and its Python `definition`.
    public static func own(_ name: String, definition: String) -> PyTorchClass {
        PyTorchClass(name: name, definition: definition)
    }
}

/// A layer type that `nnspec export` can write. An entry of `StandardCatalogue.layers` without this
/// conformance is refused by export at the layer's `type:`, so a new layer exports only once its
/// entry says how (docs/extending.md).
public protocol ExportableLayer: BuildableLayer {
    /// The PyTorch module built for the layer: `nn.<typeName>` unless the entry says otherwise.
    var pytorchClass: PyTorchClass { get }
}

extension ExportableLayer {
    public var pytorchClass: PyTorchClass { .torch("nn." + typeName) }
}

/// A loss, optimizer or scheduler type that `nnspec export` can write (`torch.nn.<typeName>`,
/// `torch.optim.<typeName>`, `torch.optim.lr_scheduler.<typeName>` unless the entry says otherwise).
public protocol ExportableComponent: ComponentDefinition {
    var pytorchClass: PyTorchClass { get }
}

extension ExportableComponent where Self: BuildableLoss {
    public var pytorchClass: PyTorchClass { .torch("nn." + typeName) }
}

extension ExportableComponent where Self: BuildableOptimizer {
    public var pytorchClass: PyTorchClass { .torch("torch.optim." + typeName) }
}

extension ExportableComponent where Self: BuildableScheduler {
    public var pytorchClass: PyTorchClass { .torch("torch.optim.lr_scheduler." + typeName) }
}
