/// The rules of layer names: PyTorch attributes, unique within their container.
extension SpecValidation {
    /// The public attributes of `nn.Module` (torch 2.x): `add_module` refuses them as child names.
    static let moduleAttributes: Set<String> = [
        "T_destination", "add_module", "apply", "bfloat16", "buffers", "call_super_init", "children", "compile", "cpu",
        "cuda", "double", "dump_patches", "eval", "extra_repr", "float", "forward", "get_buffer", "get_extra_state",
        "get_parameter", "get_submodule", "half", "ipu", "load_state_dict", "modules", "mtia", "named_buffers",
        "named_children", "named_modules", "named_parameters", "parameters", "register_backward_hook", "register_buffer",
        "register_forward_hook", "register_forward_pre_hook", "register_full_backward_hook",
        "register_full_backward_pre_hook", "register_load_state_dict_post_hook", "register_load_state_dict_pre_hook",
        "register_module", "register_parameter", "register_state_dict_post_hook", "register_state_dict_pre_hook",
        "requires_grad_", "set_extra_state", "set_submodule", "share_memory", "state_dict", "to", "to_empty", "train",
        "training", "type", "xpu", "zero_grad",
    ]

    /// A layer name: an identifier (so no `.`, which separates a nested module's path), not
    /// `input`, not an attribute of `nn.Module`, not used before in the same container.
    mutating func layerName(_ node: YAMLNode, scope: FlowScope) -> String? {
        guard let name = node.scalarText, isIdentifier(name) else {
            diagnostics.error(
                "a layer name must be a letter or _ followed by letters, digits or _ (it becomes a PyTorch attribute), not \(node.kindDescription)",
                at: node,
                hint: node.scalarText?.contains(".") == true
                    ? "a dotted name such as features.0 comes from nesting: {name: features, type: Sequential, layers: […]}" : nil)
            return nil
        }
        guard name != "input" else {
            diagnostics.error("'input' names the network input; choose another layer name", at: node)
            return nil
        }
        guard !Self.moduleAttributes.contains(name) else {
            diagnostics.error(
                "'\(name)' is an attribute of nn.Module, so PyTorch cannot name a layer so; choose another layer name", at: node)
            return nil
        }
        if let first = scope.nameMarks[name] {
            diagnostics.error(
                "duplicate layer name '\(name)'\(scope.path.isEmpty ? "" : " in \(scope.path)")", at: node,
                notes: ["first used at line \(first.line)"])
            return nil
        }
        return name
    }
}
