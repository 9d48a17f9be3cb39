import Foundation
import NNCatalogue
import NNSpec
import Testing
@testable import NNRun

/// `nnspec export --to pytorch`: the generated code of representative corpus specs against golden
/// text (Fixtures/export/NAME/*.py; tools/export_check.py runs such code under PyTorch and black),
/// refusals with locations, and the replacement policy of the output directory.
@Suite struct ExportTests {
    /// The output directory the goldens were written for: data paths in train.py are relative to it.
    static let goldenDirectory = repositoryRoot.appendingPathComponent("exported/NAME").path

    static func exportedFiles(_ specPath: String) throws -> [String: Data] {
        let path = repositoryRoot.appendingPathComponent(specPath).path
        let spec = try #require(SpecValidator.standard.validate(file: path).spec)
        return try PyTorchExport.files(of: spec, file: specPath, directory: goldenDirectory, weights: nil)
    }

    /// A Sequential spec (LeNet), a graph with from:/Concat/Reshape, one with Add and BatchNorm, one
    /// with BatchNorm and Dropout, nested containers with functional steps, and a causal transformer
    /// on a text source (a class per position): model.py equals its golden, and train.py is its golden
    /// settings (train-settings.py) followed by the runtime every train.py shares.
    @Test(arguments: ["examples/lenet.yaml", "specs/valid/concat-reshape.yaml",
                      "specs/parity/residual-cnn-nesterov.yaml", "examples/vgg.yaml",
                      "specs/parity/nested-functional.yaml", "specs/parity/char-transformer-lm.yaml"])
    func exportedCodeEqualsGolden(specPath: String) throws {
        let files = try Self.exportedFiles(specPath)
        let name = URL(fileURLWithPath: specPath).deletingPathExtension().lastPathComponent
        func golden(_ file: String) throws -> String {
            try String(contentsOf: repositoryRoot.appendingPathComponent("Tests/NNRunTests/Fixtures/export/\(name)/\(file)"), encoding: .utf8)
        }
        #expect(String(decoding: try #require(files["model.py"]), as: UTF8.self) == (try golden("model.py")), "\(name)/model.py")
        let training = String(decoding: try #require(files["train.py"]), as: UTF8.self)
        #expect(training == (try golden("train-settings.py")) + PyTorchTrainingRuntime.source + "\n", "\(name)/train.py")
    }

    /// SequentialLR's children are built in the spec's order over the optimizer, then passed to it
    /// (tools/export_check.py: this train.py logs nnspec's 21 losses of the parity spec).
    @Test func sequentialLRBuildsItsSchedulersInOrder() throws {
        let training = String(decoding: try #require(try Self.exportedFiles("specs/parity/scheduler-sequentiallr.yaml")["train.py"]), as: UTF8.self)
        #expect(training.contains("""
            def make_scheduler(optimizer, total_steps):
                schedulers = [
                    torch.optim.lr_scheduler.LinearLR(optimizer, start_factor=0.25, total_iters=3),
                    torch.optim.lr_scheduler.ExponentialLR(optimizer, gamma=0.8),
                ]
                return torch.optim.lr_scheduler.SequentialLR(
                    optimizer, schedulers=schedulers, milestones=(3,)
                )

            """))
        // `milestones: 3` (one integer) is the same list: PyTorch's SequentialLR takes a list only.
        let scratch = try ScratchDirectory()
        let specText = try String(contentsOf: repositoryRoot.appendingPathComponent("specs/parity/scheduler-sequentiallr.yaml"), encoding: .utf8)
            .replacing("milestones: [3]", with: "milestones: 3")
            .replacing("data/blobs-8.csv", with: repositoryRoot.appendingPathComponent("specs/parity/data/blobs-8.csv").path)
        let path = try scratch.write(specText, to: "sequential.yaml")
        let spec = try #require(SpecValidator.standard.validate(file: path).spec)
        let files = try PyTorchExport.files(of: spec, file: path, directory: scratch.path("exported"), weights: nil)
        #expect(String(decoding: try #require(files["train.py"]), as: UTF8.self).contains("milestones=(3,)"))
    }

    /// Columns named by the spec reach train.py as names, which its CSV reader finds in the header row
    /// (tools/export_check.py: both examples log nnspec's losses).
    @Test func csvColumnNamesAreWrittenAsNames() throws {
        let iris = String(decoding: try #require(try Self.exportedFiles("examples/iris.yaml")["train.py"]), as: UTF8.self)
        #expect(iris.contains("    \"label_column\": \"species\",\n    \"target_columns\": None,\n"))
        let regression = String(decoding: try #require(try Self.exportedFiles("examples/regression.yaml")["train.py"]), as: UTF8.self)
        #expect(regression.contains("    \"label_column\": 0,\n    \"target_columns\": [\"progression\"],\n"))
    }

    @Test func everyCatalogueTypeHasAPyTorchMapping() {
        for layer in StandardCatalogue.layers {
            #expect(StandardCatalogue.pytorchClass(ofLayer: layer.typeName) != nil, "\(layer.typeName)")
        }
        let components: [any ComponentDefinition] = StandardCatalogue.losses + StandardCatalogue.optimizers + StandardCatalogue.schedulers
        for component in components {
            #expect(StandardCatalogue.pytorchClass(ofComponent: component.typeName) != nil, "\(component.typeName)")
        }
    }

    @Test func aLayerWithoutMappingIsRefusedAtItsLine() throws {
        var spec = try validatedSpec("""
            nnspec: 1
            input: [N, 4]
            layers:
              - {name: fc, type: Linear, in_features: 4, out_features: 2}
              - ReLU
            """)
        spec.layers[1].typeName = "Unmapped"
        #expect(throws: ExportError(file: "test.yaml", mark: SourceMark(line: 5, column: 5),
                                    "layer 1 (Unmapped) cannot be exported: its catalogue entry has no PyTorch mapping (ExportableLayer)")) {
            try PyTorchModelSource(spec: spec, file: "test.yaml").render()
        }
    }

    @Test func aSpecNameThatIsNoPythonClassNameIsRefused() throws {
        let spec = try validatedSpec("nnspec: 1\nname: class\ninput: [N, 4]\nlayers: [ReLU]\n")
        #expect(throws: ExportError.self) { try PyTorchModelSource(spec: spec, file: "test.yaml").render() }
    }

    @Test func aTiedLinearIsAssignedTheEmbeddingsWeightAfterRegistration() throws {
        let spec = try validatedSpec("""
            nnspec: 1
            input: [N, 5]
            layers:
              - {name: tok, type: Embedding, num_embeddings: 7, embedding_dim: 4}
              - {name: blocks, type: Sequential, layers: [{type: Linear, in_features: 4, out_features: 4}]}
              - {name: head, type: Linear, in_features: 4, out_features: 7, bias: false, tie_weight: tok}
            """)
        let source = try PyTorchModelSource(spec: spec, file: "test.yaml").render()
        #expect(source.contains("        self.head = nn.Linear(in_features=4, out_features=7, bias=False)\n"
            + "        self.head.weight = self.tok.weight\n"))
        #expect(!source.contains("tie_weight"))
    }

    @Test func aSpecWithoutDataGetsModelAndReadmeOnly() throws {
        let spec = try validatedSpec("nnspec: 1\ninput: [N, 4]\nlayers: [ReLU]\n")
        let files = try PyTorchExport.files(of: spec, file: "test.yaml", directory: Self.goldenDirectory, weights: nil)
        #expect(files.keys.sorted() == ["README.md", "model.py"])
    }

    @Test func weightsOfAnotherNetworkAreRefused() throws {
        let spec = try validatedSpec("nnspec: 1\ninput: [N, 4]\nlayers: [{name: fc, type: Linear, in_features: 4, out_features: 2}]\n")
        let weights = repositoryRoot.appendingPathComponent("specs/parity/mlp-init.safetensors").path
        #expect(throws: ExportError.self) {
            try PyTorchExport.files(of: spec, file: "test.yaml", directory: Self.goldenDirectory, weights: weights)
        }
    }

    /// A file export did not write is kept unless --force; export's own files are replaced.
    @Test func existingFilesAreReplacedOnlyWhenNNSpecWroteThemOrWithForce() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("export-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let specPath = repositoryRoot.appendingPathComponent("examples/lenet.yaml").path
        let spec = try #require(SpecValidator.standard.validate(file: specPath).spec)
        try PyTorchExport.write(spec, file: specPath, directory: directory, weights: nil, force: false)
        try PyTorchExport.write(spec, file: specPath, directory: directory, weights: nil, force: false)
        let own = directory + "/model.py"
        try Data("my own model\n".utf8).write(to: URL(fileURLWithPath: own))
        #expect(throws: ExportError(file: own, "the file exists and was not written by nnspec; pass --force to replace it")) {
            try PyTorchExport.write(spec, file: specPath, directory: directory, weights: nil, force: false)
        }
        #expect(try String(contentsOfFile: own, encoding: .utf8) == "my own model\n")
        try PyTorchExport.write(spec, file: specPath, directory: directory, weights: nil, force: true)
        #expect(try String(contentsOfFile: own, encoding: .utf8).hasPrefix(ExportedFile.pythonMarker))
    }
}
