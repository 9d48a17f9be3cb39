import Foundation
import NNCatalogue
import Testing
@testable import NNSpec

/// Nested containers, functional steps and modules applied again, as the validator resolves them.
@Suite struct NestedSpecTests {
    @Test func nestedLayersAreNamedByTheirDottedPath() throws {
        let result = validate(
            """
            nnspec: 1
            input: [N, 4]
            layers:
              - name: body
                type: Sequential
                layers:
                  - {type: Linear, in_features: 4, out_features: 8}
                  - {name: inner, type: Sequential, layers: [ReLU, {type: Linear, in_features: 8, out_features: 8}]}
              - {name: act, type: ReLU}
              - {call: F.relu}
              - {use: act}
              - {name: head, type: Linear, in_features: 8, out_features: 2}
            """)
        let spec = try #require(result.spec, "\(errorMessages(result))")
        #expect(spec.layers.map(\.name) == ["body.0", "body.inner.0", "body.inner.1", "act", "2", "3", "head"])
        #expect(spec.layers.map(\.localName) == ["0", "0", "1", "act", "2", "3", "head"])
        #expect(spec.layers.map(\.role) == [.module, .module, .module, .module, .functional("F.relu"), .reuse("act"), .module])
        #expect(spec.namedParameters.map(\.name) == [
            "body.0.weight", "body.0.bias", "body.inner.1.weight", "body.inner.1.bias", "head.weight", "head.bias",
        ])
        #expect(spec.parameterCount == 4 * 8 + 8 + 8 * 8 + 8 + 8 * 2 + 2)
        // The network's steps: the container, then act, the function, act again, head.
        #expect(spec.steps.count == 5)
        guard case .container(let body) = spec.steps[0] else { Issue.record("body is not a container"); return }
        #expect(body.path == "body" && body.className == "Sequential" && body.inputs == ["input"])
        #expect(body.steps.count == 2)
        guard case .container(let inner) = body.steps[1] else { Issue.record("inner is not a container"); return }
        #expect(inner.path == "body.inner" && inner.inputs == ["0"])
        #expect(spec.layers[4].inputs == ["act"] && spec.layers[5].inputs == ["2"])
    }

    /// torch.flatten's own default start_dim is 0, which would merge the batch: the function's
    /// defaults are its own, not nn.Flatten's.
    @Test func aFunctionHasItsOwnDefaults() {
        let result = validate("nnspec: 1\ninput: [N, 2, 3]\nlayers:\n  - {call: torch.flatten}\n")
        #expect(errorMessages(result) == ["layer 0 (torch.flatten) start_dim 0 would merge the batch dimension"])
    }

    @Test func everyFunctionIsComputedByAStatelessLayerType() {
        for function in StandardCatalogue.functionals {
            let layer = StandardCatalogue.catalogue.layer(named: function.layerType)
            #expect(layer != nil, "\(function.name)")
            #expect(Set(function.defaults.keys).isSubset(of: Set(layer?.arguments.map(\.name) ?? [])), "\(function.name)")
        }
    }

    /// Nested layers count against the layer budget: 101 containers of 100 layers stop at the
    /// 10,001st layer, reported once, at its line.
    @Test func nestedLayersCountAgainstTheLimit() {
        let container = "  - type: Sequential\n    layers:\n" + String(repeating: "      - ReLU\n", count: 100)
        let result = validate("nnspec: 1\ninput: [N, 4]\nlayers:\n" + String(repeating: container, count: 101))
        #expect(errorMessages(result) == [
            "the network has more than 10,000 layers (nested ones counted), the most nnspec checks and builds",
        ])
        // The 10,001st entry is the 100th container's first layer (99 containers of 1 + 100 lines before it).
        #expect(result.diagnostics.first?.mark?.line == 3 + 99 * 102 + 1 + 2)
    }
}

/// Blocks of `blocks:`: arguments written in, conditional layers, repeats, and their diagnostics.
@Suite struct BlockSpecTests {
    static let residual = """
        nnspec: 1
        input: [N, 4, 8, 8]
        blocks:
          Unit:
            arguments: {inplanes: int, planes: int, stride: 1, project: false}
            layers:
              - {name: conv, type: Conv2d, in_channels: inplanes, out_channels: planes*2, kernel_size: 3, stride: stride, padding: 1}
              - {name: shortcut, when: project, from: input, type: Conv2d, in_channels: inplanes, out_channels: planes*2, kernel_size: 1, stride: stride}
              - {call: torch.add, from: [conv, shortcut]}
        layers:
          - name: stage
            type: Sequential
            layers:
              - {block: Unit, inplanes: 4, planes: 4, stride: 2, project: true}
              - {block: Unit, inplanes: 8, planes: 4, repeat: 2}
        """

    @Test func argumentsConditionsAndRepeatsResolveAsPyTorchNamesThem() throws {
        let result = validate(Self.residual)
        let spec = try #require(result.spec, "\(errorMessages(result))")
        #expect(spec.layers.map(\.name) == [
            "stage.0.conv", "stage.0.shortcut", "stage.0.2", "stage.1.conv", "stage.1.1", "stage.2.conv", "stage.2.1",
        ])
        #expect(spec.layers[0].arguments.integer("out_channels") == 8 && spec.layers[0].arguments.pair("stride")! == (2, 2))
        // Without the projection the sum reads the block's input (`when: false` leaves `shortcut` out).
        #expect(spec.layers[4].inputs == ["conv", "input"])
        #expect(spec.output.description == "[N, 8, 4, 4]")
        guard case .container(let stage) = spec.steps[0], case .container(let first) = stage.steps[0] else {
            Issue.record("no nested containers"); return
        }
        #expect(first.className == "Unit" && first.path == "stage.0" && stage.steps.count == 3)
    }

    /// `repeat: [{…}, {…}]` makes one copy per mapping, its arguments added to (or replacing) the entry's.
    @Test func aRepeatListGivesEachCopyItsArguments() throws {
        let listed = Self.residual.replacingOccurrences(of: """
                  - {block: Unit, inplanes: 4, planes: 4, stride: 2, project: true}
                  - {block: Unit, inplanes: 8, planes: 4, repeat: 2}
            """, with: """
                  - {block: Unit, planes: 4, inplanes: 8, repeat: [{inplanes: 4, stride: 2, project: true}, {}, {}]}
            """)
        #expect(listed != Self.residual)
        let spec = try #require(validate(listed).spec, "\(errorMessages(validate(listed)))")
        let explicit = try #require(validate(Self.residual).spec)
        #expect(spec.namedParameters == explicit.namedParameters)
        #expect(spec.layers.map(\.inputs) == explicit.layers.map(\.inputs))
        #expect(errorMessages(validate(listed.replacingOccurrences(of: "{}, {}]", with: "{}, 3]"))) == [
            "repeat: [...] takes one mapping of arguments per copy, such as [{stride: 2}, {}]",
        ])
    }

    /// An error inside a block points into its definition, with a note naming the instance and its line.
    @Test func anErrorInsideABlockNamesTheInstance() throws {
        let result = SpecValidator.standard.validate(file: repositoryRoot.appending(path: "specs/invalid/block-error-inside.yaml").path)
        let error = try #require(result.diagnostics.first)
        #expect(error.mark?.line == 8)
        #expect(error.notes == ["in Residual layer1, instantiated at line 11"])
    }

    /// Repeats inside repeated blocks multiply; the layer budget stops the expansion at the first
    /// layer too many (within 10,000 layers checked), not after expanding all 1,000,000.
    @Test func nestedRepeatsStopAtTheLayerBudget() {
        let text = """
            nnspec: 1
            input: [N, 4]
            blocks:
              Inner:
                layers:
                  - {type: ReLU, repeat: 1000}
              Outer:
                layers:
                  - {block: Inner, repeat: 1000}
            layers:
              - {block: Outer}
            """
        let clock = ContinuousClock()
        var result: ValidationResult?
        let elapsed = clock.measure { result = validate(text) }
        // The tenth Inner's repeat would pass the limit (9 × 1,000 layers and 10 entries are checked by then).
        #expect(errorMessages(result!) == ["repeat: 1,000 would make the network more than 10,000 layers, the most nnspec checks and builds"])
        #expect(result!.diagnostics.first?.mark?.line == 6)
        #expect(elapsed < .seconds(10))
    }
}

/// `nnspec summary --depth N`: the module tree, containers holding their contents' totals.
@Suite struct SummaryDepthTests {
    @Test func depthShowsContainersWithTheirTotals() throws {
        let spec = try #require(validate(BlockSpecTests.residual).spec)
        let table = SummaryTable.render(spec, depth: 2)
        let lines = table.split(separator: "\n").map(String.init)
        // stage holds 2 Units; the first (stride 2, projected): conv 4·8·9 + 8 and shortcut 4·8 + 8.
        #expect(lines.contains("stage (Sequential)   [N, 8, 4, 4]     1,504      23,552"))
        #expect(lines.contains("  0 (Unit)           [N, 8, 4, 4]       336       5,120"))
        #expect(!table.contains("conv (Conv2d)"))
        let deeper = SummaryTable.render(spec, depth: 3)
        #expect(deeper.contains("    conv (Conv2d)       [N, 8, 4, 4]       296       4,608"))
        #expect(deeper.contains("    2 (torch.add)       [N, 8, 4, 4]        --          --"))
        // Every depth totals the same network.
        #expect(table.contains("Total params: 1,504") && SummaryTable.render(spec).contains("Total params: 1,504"))
    }
}
