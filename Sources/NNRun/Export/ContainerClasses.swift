import NN
import NNSpec

/// The classes model.py defines for a spec's nested containers that `nn.Sequential` cannot be: a
/// block of `blocks:` prints under its own name, so it gets a class of that name (a subclass of
/// `nn.Sequential` when its layers form a plain chain), and a container with `from:` or functional
/// steps gets an `nn.Module` whose forward is its flow. Such a class takes its children as
/// constructor arguments, in registration order (a child absent from some instances, `when:`
/// false, defaults to None); instances whose flows differ (a residual `torch.add` present or not)
/// choose theirs with `flow=k`.
struct ContainerClasses {
    /// One class that is not a plain chain: its children's names over all instances, and its distinct flows.
    private struct ModuleClass {
        var children: [String] = []
        var optional: Set<String> = []
        /// Each distinct flow: the forward statements and the children of the instances having it.
        var flows: [(statements: [String], inputVariable: String, children: [String])] = []
        /// True while every instance is a plain chain: the class is then an `nn.Sequential`.
        var isChain = true
        /// True when an instance names its children (a chain's then need `OrderedDict`).
        var namesChildren = false
    }

    /// Class names in order of first use (inner containers first).
    private var order: [String] = []
    private var modules: [String: ModuleClass] = [:]
    /// True when a plain nested Sequential has named children (`nn.Sequential(OrderedDict(...))`).
    private var sequentialNamesChildren = false

    /// True when a chain has named children, written `nn.Sequential(OrderedDict(...))`.
    var needsOrderedDict: Bool {
        sequentialNamesChildren || modules.values.contains { $0.isChain && $0.namesChildren }
    }

    /// The names of the classes model.py defines for containers.
    var names: Set<String> { Set(order) }

    /// Records the containers among `steps`, nested ones first.
    mutating func collect(_ steps: [NetworkStep], layers: [ResolvedLayer]) {
        for case .container(let container) in steps {
            collect(container.steps, layers: layers)
            let children = Self.childNames(container.steps, layers: layers)
            let isChain = Self.isChain(container.steps, layers: layers)
            let namesChildren = !children.enumerated().allSatisfy { $1 == String($0) }
            if isChain, container.className == "Sequential" {
                sequentialNamesChildren = sequentialNamesChildren || namesChildren
                continue
            }
            if modules[container.className] == nil { order.append(container.className) }
            var moduleClass = modules[container.className] ?? ModuleClass()
            moduleClass.isChain = moduleClass.isChain && isChain
            moduleClass.namesChildren = moduleClass.namesChildren || namesChildren
            for child in moduleClass.children where !children.contains(child) { moduleClass.optional.insert(child) }
            for child in children where !moduleClass.children.contains(child) {
                if !moduleClass.flows.isEmpty { moduleClass.optional.insert(child) }
                moduleClass.children.append(child)
            }
            let flow = ModuleExpressions.flow(of: container.steps, layers: layers)
            let statements = flow.statements(indent: 8)
            if !moduleClass.flows.contains(where: { $0.statements == statements && $0.inputVariable == flow.inputVariable }) {
                moduleClass.flows.append((statements, flow.inputVariable, children))
            }
            modules[container.className] = moduleClass
        }
    }

    /// True when `container` is built as an `nn.Sequential` (or a block's subclass of it): a plain
    /// nested Sequential, or a block whose every instance is a plain chain.
    func isSequential(_ container: ResolvedContainer, layers: [ResolvedLayer]) -> Bool {
        modules[container.className]?.isChain ?? Self.isChain(container.steps, layers: layers)
    }

    /// `flow=k` of a container whose class has several flows; nil when it has one or is a chain.
    func flowIndex(of container: ResolvedContainer, layers: [ResolvedLayer]) -> Int? {
        guard let moduleClass = modules[container.className], !moduleClass.isChain, moduleClass.flows.count > 1 else { return nil }
        let flow = ModuleExpressions.flow(of: container.steps, layers: layers)
        let statements = flow.statements(indent: 8)
        return moduleClass.flows.firstIndex { $0.statements == statements && $0.inputVariable == flow.inputVariable }
    }

    /// True when every step is a registered module reading exactly the previous step's output (the first: the input).
    static func isChain(_ steps: [NetworkStep], layers: [ResolvedLayer]) -> Bool {
        var previous = Graph.inputName
        for step in steps {
            switch step {
            case .layer(let index):
                guard layers[index].role == .module, layers[index].inputs == [previous] else { return false }
                previous = layers[index].localName
            case .container(let container):
                guard container.inputs == [previous] else { return false }
                previous = container.name
            }
        }
        return true
    }

    /// The registered children's names of a container, in order.
    private static func childNames(_ steps: [NetworkStep], layers: [ResolvedLayer]) -> [String] {
        steps.compactMap { step in
            switch step {
            case .layer(let index): layers[index].role == .module ? layers[index].localName : nil
            case .container(let container): container.name
            }
        }
    }

    /// The constructor parameter of child `name`: the name, or `child_3` for an index.
    static func parameter(_ name: String) -> String {
        PythonSyntax.isIdentifier(name) && name != "flow" ? name : "child_\(name)"
    }

    /// The Python definitions, in order of first use.
    func definitions() -> [String] {
        order.map { name in
            guard let moduleClass = modules[name], !moduleClass.isChain else {
                return "class \(name)(nn.Sequential):\n    \"\"\"The block \(name) of the spec: its layers in a chain.\"\"\""
            }
            return definition(name, moduleClass)
        }
    }

    private func definition(_ name: String, _ moduleClass: ModuleClass) -> String {
        let parameters = moduleClass.children.map { child in
            Self.parameter(child) + (moduleClass.optional.contains(child) ? "=None" : "")
        } + (moduleClass.flows.count > 1 ? ["flow=0"] : [])
        var lines = ["class \(name)(nn.Module):",
                     "    \"\"\"The \(name) of the spec: its children as given, its forward the spec's flow.\"\"\"", ""]
        lines += PythonSyntax.call("def __init__", ["self"] + parameters, indent: 4).map { $0.hasSuffix(")") ? $0 + ":" : $0 }
        lines.append("        super().__init__()")
        for child in moduleClass.children {
            let parameter = Self.parameter(child)
            let assignment = PythonSyntax.isIdentifier(child) && child == parameter
                ? "self.\(child) = \(parameter)" : "self.add_module(\(PythonSyntax.string(child)), \(parameter))"
            if moduleClass.optional.contains(child) {
                lines += ["        if \(parameter) is not None:", "            " + assignment]
            } else {
                lines.append("        " + assignment)
            }
        }
        if moduleClass.flows.count > 1 { lines.append("        self.flow = flow") }
        let argument = moduleClass.flows[0].inputVariable
        lines += ["", "    def forward(self, \(argument)):"]
        for (index, flow) in moduleClass.flows.enumerated() {
            let last = index == moduleClass.flows.count - 1
            var body = flow.inputVariable == argument ? [] : ["        \(flow.inputVariable) = \(argument)"]
            body += flow.statements
            if last {
                lines += body
            } else {
                lines.append("        if self.flow == \(index):")
                lines += body.map { "    " + $0 }
            }
        }
        return lines.joined(separator: "\n")
    }
}
