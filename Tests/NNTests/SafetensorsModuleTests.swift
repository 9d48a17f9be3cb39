import Foundation
import NN
import NNTensor
import Testing

@Suite struct SafetensorsModuleTests {
    /// PyTorch's state_dict of the reference file's case `name` (`<case>.param.<state name>`).
    func pytorchState(_ file: SafetensorsFile, _ name: String) -> SafetensorsFile {
        let prefix = "\(name).param."
        return SafetensorsFile(tensors: file.tensors.filter { $0.name.hasPrefix(prefix) }.map {
            NamedTensor(String($0.name.dropFirst(prefix.count)), $0.tensor, dtype: $0.dtype)
        })
    }

    @Test func loadsAPyTorchStateDictWithItsInt64Counter() throws {
        let state = pytorchState(try Reference.load("layers.safetensors"), "batchnorm2d_eval")
        #expect(state.tensors.first { $0.name == "num_batches_tracked" }?.dtype == .i64)
        let batchNorm = try BatchNorm2d(numFeatures: 3)
        try batchNorm.loadState(from: state)
        for named in state.tensors {
            #expect(try batchNorm.state(named: named.name).value == named.tensor, "\(named.name)")
        }
    }

    @Test func writesAStateDictInPyTorchsOrderAndDTypes() throws {
        let state = pytorchState(try Reference.load("layers.safetensors"), "batchnorm2d_train")
        let batchNorm = try BatchNorm2d(numFeatures: 3)
        try batchNorm.loadState(from: state)
        let written = try SafetensorsFile(decoding: SafetensorsFile(stateOf: batchNorm).encoded())
        #expect(written.names == ["weight", "bias", "running_mean", "running_var", "num_batches_tracked"])
        #expect(Set(written.names) == Set(state.names))
        #expect(written.tensors.map(\.dtype) == [.f32, .f32, .f32, .f32, .i64])
        for named in written.tensors { #expect(named.tensor == (try state.tensor(named: named.name)), "\(named.name)") }
    }

    @Test func rejectsAStateThatDoesNotFitListingEveryProblemAndChangingNothing() throws {
        var generator = RandomGenerator(seed: 1)
        let linear = try Linear(inFeatures: 3, outFeatures: 2, generator: &generator)
        let before = linear.weight.value
        let state = SafetensorsFile(tensors: [
            NamedTensor("weight", Tensor(zeros: [3, 2])),
            NamedTensor("extra", Tensor(zeros: [1])),
        ])
        #expect(throws: SafetensorsError.incompatibleState(missing: ["bias"], unexpected: ["extra"],
                                                          shapeMismatches: ["weight: [3, 2] in the file, [2, 3] in the module"])) {
            try linear.loadState(from: state)
        }
        #expect(linear.weight.value == before)
    }
}
