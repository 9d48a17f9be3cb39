import Foundation
import NN
import NNCatalogue
import NNSpec
import NNTensor
import Testing
@testable import NNRun

/// Every valid spec of the repository (examples/, specs/valid/) builds into modules that print as
/// PyTorch prints the same network (Fixtures/torch-print, made by tools/torch_print.py), whose
/// named parameters, buffers and output shape are those the validator computed, and its data loads.
@Suite struct SpecCorpusBuildTests {
    static let specFiles: [String] = ["examples", "specs/valid"].flatMap { directory in
        let url = repositoryRoot.appendingPathComponent(directory)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.sorted().map { "\(directory)/\($0)" }
    }

    /// What tools/torch_print.py writes for the same network: `print(net)`, then `name : [sizes]`
    /// of each parameter and buffer.
    static func printedText(of network: Module) -> String {
        let parameters = network.namedParameters().map { "\($0.name) : \($0.parameter.shape)" }
        let buffers = network.namedBuffers().map { "\($0.name) : \($0.buffer.shape)" }
        return ([network.description] + parameters + buffers).joined(separator: "\n") + "\n"
    }

    @Test func theCorpusIsFound() {
        #expect(Self.specFiles.contains("examples/lenet.yaml"))
        #expect(Self.specFiles.contains("specs/valid/mnist-idx.yaml"))
    }

    @Test(arguments: specFiles)
    func buildsAsValidated(file: String) throws {
        let result = SpecValidator.standard.validate(file: repositoryRoot.appendingPathComponent(file).path)
        let spec = try #require(result.spec, "\(result.diagnostics.map(\.message))")
        var generator = RandomGenerator(seed: 0)
        let network = try NetworkBuilder.build(spec, generator: &generator)
        #expect(network.namedParameters().map { "\($0.name) \($0.parameter.shape)" } == spec.namedParameters.map { "\($0.name) \($0.shape)" })
        #expect(network.namedBuffers().map { "\($0.name) \($0.buffer.shape)" } == spec.namedBuffers.map { "\($0.name) \($0.shape)" })
        #expect(network.parameterCount == spec.parameterCount)
        let torchPrint = repositoryRoot.appendingPathComponent("Tests/NNRunTests/Fixtures/torch-print")
            .appendingPathComponent(URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent + ".txt")
        let expected = try String(contentsOf: torchPrint, encoding: .utf8)
        #expect(expected == Self.printedText(of: network))
        network.eval()
        let output = try network(Variable(Tensor(zeros: [1] + spec.input.sampleSizes)))
        #expect(output.shape == [1] + spec.output.sampleSizes)
        if let loss = spec.loss { _ = try StandardCatalogue.loss(for: loss) }
        let dataFiles = [spec.data?.train, spec.data?.test].compactMap { $0 }.flatMap { source -> [String] in
            switch source {
            case .random: []
            case .idx(let images, let labels, _): [images, labels]
            case .csv(let path, _, _, _, _): [path]
            }
        }
        guard spec.data?.train != nil, dataFiles.allSatisfy(FileManager.default.fileExists(atPath:)) else { return }
        let data = try SpecData(spec: spec)
        let batch = try data.train.batches(epoch: 0).batch(0)
        #expect(batch.inputs.shape == [min(spec.data!.batchSize, data.train.dataset.count)] + spec.input.sampleSizes)
    }
}
