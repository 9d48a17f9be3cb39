import Foundation
import Testing

/// The `nnspec` binary as a user runs it: whole outputs and exit statuses (0 valid, 1 invalid,
/// 64 for a usage error, as swift-argument-parser reports it).
@Suite struct CommandLineTests {
    private func nnspec(_ arguments: String..., in directory: URL = NNSpecBinary.repositoryRoot) throws -> NNSpecBinary.Run {
        try NNSpecBinary.run(arguments, in: directory)
    }

    @Test func validateValidSpecPrintsTheFlowAndWarningsAndExitsZero() throws {
        let run = try nnspec("validate", "--verbose", "valid.yaml", in: NNSpecBinary.fixtures)
        #expect(run.standardOutput == """
            valid.yaml:
              input           [N, 4]
              hidden  Linear  [N, 8]
              1       ReLU    [N, 8]
              out     Linear  [N, 3]
            valid.yaml:9:30: warning: absent.csv does not exist (yet), so its CSV header is not checked
              train: {source: csv, path: absent.csv}
                                         ^~~~~~~~~~
            valid.yaml: valid

            """)
        #expect(run.standardError == "")
        #expect(run.status == 0)
    }

    @Test func validateInvalidSpecPrintsEveryErrorAtItsValueAndExitsOne() throws {
        let run = try nnspec("validate", "two-errors.yaml", in: NNSpecBinary.fixtures)
        #expect(run.standardOutput == """
            two-errors.yaml:7:43: error: fc expects in_features 3136 but receives 2704 (4×26×26) from conv → Flatten
              - {name: fc, type: Linear, in_features: 4*28*28, out_features: 10}
                                                      ^~~~~~~
            hint: write `in_features: 2704`, or `in_features: auto` to infer it, if the layers before are right
            two-errors.yaml:8:43: error: SGD nesterov needs momentum > 0 and dampening 0 (momentum is 0.0, dampening 0.0)
            optimizer: {type: SGD, lr: 0.1, nesterov: true}
                                                      ^~~~
            hint: add `momentum: 0.9`

            """)
        #expect(run.status == 1)
    }

    @Test func validateFormatJSONPrintsTheSameDiagnostics() throws {
        let run = try nnspec("validate", "--format", "json", "two-errors.yaml", "valid.yaml", in: NNSpecBinary.fixtures)
        let version = try nnspec("--version").standardOutput.trimmingCharacters(in: .newlines)
        #expect(run.standardOutput == """
            {"format": "nnspec.validate/1", "nnspec_version": "\(version)", "valid": false, "files": [
              {"file": "two-errors.yaml", "valid": false, "diagnostics": [
                {"severity": "error", "message": "fc expects in_features 3136 but receives 2704 (4×26×26) from conv → Flatten", "file": "two-errors.yaml", "line": 7, "column": 43, "endLine": 7, "endColumn": 50, "notes": [], "hint": "write `in_features: 2704`, or `in_features: auto` to infer it, if the layers before are right"},
                {"severity": "error", "message": "SGD nesterov needs momentum > 0 and dampening 0 (momentum is 0.0, dampening 0.0)", "file": "two-errors.yaml", "line": 8, "column": 43, "endLine": 8, "endColumn": 47, "notes": [], "hint": "add `momentum: 0.9`"}
              ]},
              {"file": "valid.yaml", "valid": true, "diagnostics": [
                {"severity": "warning", "message": "absent.csv does not exist (yet), so its CSV header is not checked", "file": "valid.yaml", "line": 9, "column": 30, "endLine": 9, "endColumn": 40, "notes": [], "hint": null}
              ]}
            ]}

            """)
        #expect(try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) is [String: Any])
        #expect(run.status == 1)
    }

    /// ResNet-18 at depth 1: the network's own children, each stage with the totals torchinfo gives.
    @Test func summaryDepthShowsTheModuleTree() throws {
        let run = try nnspec("summary", "examples/resnet18.yaml", "--depth", "1")
        #expect(run.status == 0)
        let rows = run.standardOutput.split(separator: "\n").map(String.init)
        #expect(rows.contains("layer1 (Sequential)           [N, 64, 56, 56]       147,968   462,422,016"))
        #expect(rows.contains("layer4 (Sequential)           [N, 512, 7, 7]      8,393,728   411,041,792"))
        #expect(!run.standardOutput.contains("BasicBlock"))
        #expect(rows.contains("Total params: 11,689,512"))
    }

    @Test func summaryOfLeNetIsTheTorchinfoTable() throws {
        let run = try nnspec("summary", "examples/lenet.yaml")
        #expect(run.standardOutput == """
            Net
            =========================================================
            Layer (type)        Output Shape      Param #   Mult-Adds
            =========================================================
            input               [N, 1, 32, 32]
            conv1 (Conv2d)      [N, 6, 28, 28]        156     117,600
            1 (F.relu)          [N, 6, 28, 28]         --          --
            2 (F.max_pool2d)    [N, 6, 14, 14]         --          --
            conv2 (Conv2d)      [N, 16, 10, 10]     2,416     240,000
            4 (F.relu)          [N, 16, 10, 10]        --          --
            5 (F.max_pool2d)    [N, 16, 5, 5]          --          --
            6 (torch.flatten)   [N, 400]               --          --
            fc1 (Linear)        [N, 120]           48,120      48,000
            8 (F.relu)          [N, 120]               --          --
            fc2 (Linear)        [N, 84]            10,164      10,080
            10 (F.relu)         [N, 84]                --          --
            fc3 (Linear)        [N, 10]               850         840
            =========================================================
            Total params: 61,706
            Trainable params: 61,706
            Non-trainable params: 0
            Mult-adds per sample: 416,520
            =========================================================
            Params size: 241.04 KiB
            Activations per sample (forward): 58.6 KiB
            =========================================================

            """)
        #expect(run.status == 0)
    }

    @Test func layersConv2dListsArgumentsDefaultsAndTheShapeRule() throws {
        let run = try nnspec("layers", "Conv2d")
        #expect(run.standardOutput == """
            Conv2d: 2-D convolution: out_channels filters of in_channels/groups × kernel_size.
              shape:  [N, in_channels, H, W] → [N, out_channels, OH, OW], OH = ⌊(H + 2·padding − dilation·(kernel_size − 1) − 1)/stride⌋ + 1 (and OW alike)
              inputs: 1
              arguments:
                in_channels   int > 0 or auto, required: channels of the input (auto: the incoming C)
                out_channels  int > 0, required: channels produced
                kernel_size   int > 0 or [h, w], required: filter height and width
                stride        int > 0 or [h, w], default 1: step of the window
                padding       int ≥ 0, [h, w], 'same' or 'valid', default 0: zeros added on each side; 'same' keeps H×W (stride 1)
                dilation      int > 0 or [h, w], default 1: spacing between kernel elements
                groups        int > 0, default 1: blocked connections; divides both channel counts
                bias          bool, default true: learn an additive bias
                padding_mode  'zeros', default zeros: padding values (only 'zeros')

            """)
        #expect(run.status == 0)
    }

    @Test func schemaIsAJSONSchema() throws {
        let run = try nnspec("schema")
        let schema = try #require(try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any])
        #expect(schema["$schema"] as? String == "https://json-schema.org/draft/2020-12/schema")
        #expect(schema["$id"] as? String == "urn:nnspec:spec-format:1")
        #expect((schema["required"] as? [String]) == ["nnspec", "input", "layers"])
        #expect(run.status == 0)
    }

    @Test func aMissingFileIsAnErrorNamingIt() throws {
        for command in ["validate", "summary"] {
            let run = try nnspec(command, "no-such-spec.yaml")
            #expect(run.standardOutput == "no-such-spec.yaml: error: cannot read the spec: it does not exist\n", "\(command)")
            #expect(run.status == 1, "\(command)")
        }
    }

    @Test(arguments: [
        (["validate"], "Error: Missing expected argument '<files> ...'", "Usage: nnspec validate <files> ..."),
        (["frobnicate"], "Error: Unexpected argument 'frobnicate'", "Usage: nnspec <subcommand>"),
        (["validate", "--format", "xml", "a.yaml"], "Error: The value 'xml' is invalid for '--format <format>'", "Usage: nnspec validate"),
        (["layers", "Conv3d"], "Error: unknown type 'Conv3d' (did you mean 'Conv1d'?)", "Usage: nnspec layers [<type>]"),
        (["summary", "examples/resnet18.yaml", "--depth", "0"], "Error: --depth must be at least 1, not 0", "Usage: nnspec summary"),
    ])
    func badUsageExplainsItselfAndExits64(arguments: [String], error: String, usage: String) throws {
        let run = try NNSpecBinary.run(arguments)
        #expect(run.standardOutput == "")
        #expect(run.standardError.hasPrefix(error), "\(run.standardError)")
        #expect(run.standardError.contains(usage), "\(run.standardError)")
        #expect(run.status == 64)
    }
}
