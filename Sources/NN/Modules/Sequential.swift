/// A chain of modules, each taking the previous one's output, as `nn.Sequential`, with explicit
/// child names (PyTorch's index strings `0`, `1` … or given names such as `conv1`).
public final class Sequential: Module {
    private let name: String

    /// Children named explicitly, in order; `name` is printed as the class name (default
    /// `Sequential`). Names must be unique.
    public init(name: String = "Sequential", _ layers: [(name: String, module: Module)]) throws(NNError) {
        self.name = name
        super.init()
        var seen = Set<String>()
        for (childName, module) in layers {
            guard seen.insert(childName).inserted else {
                throw .invalidArgument("\(name) has two children named '\(childName)'")
            }
            guard module.inputCount == 1 else {
                throw .invalidArgument("\(name) child '\(childName)' (\(module.typeName)) takes several inputs; use Graph")
            }
            registerModule(childName, module)
        }
    }

    /// Children named by their index, as `nn.Sequential(a, b, c)`.
    public convenience init(name: String = "Sequential", _ modules: [Module]) throws(NNError) {
        try self.init(name: name, modules.enumerated().map { (String($0.offset), $0.element) })
    }

    override public var typeName: String { name }

    override public func forward(_ input: Variable) throws(NNError) -> Variable {
        var output = input
        for child in children { output = try child.module(output) }
        return output
    }
}
