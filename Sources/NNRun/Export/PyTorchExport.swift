import Foundation
import NN
import NNData
import NNSpec
import NNTensor

/// `nnspec export SPEC --to pytorch --output DIR [--weights W]`: writes DIR/model.py, DIR/train.py
/// (when the spec has data, a loss and an optimizer), DIR/README.md and, with `--weights`, the weights
/// as DIR/weights.safetensors after checking that they fit the network.
public enum PyTorchExport {
    /// The files of `spec` (read from `file`) for `directory`; `weights` are checked against the network.
    public static func files(of spec: ValidatedSpec, file: String, directory: String, weights: String?) throws(ExportError) -> [String: Data] {
        let absoluteDirectory = ExportedFile.absolutePath(directory)
        let model = try PyTorchModelSource(spec: spec, file: file).render()
        var files = ["model.py": Data(model.utf8)]
        let training: String?
        do throws(ExportError) {
            training = try PyTorchTrainingSource(spec: spec, file: file, directory: absoluteDirectory).render()
        } catch where spec.data?.train == nil || spec.loss == nil || spec.optimizer == nil {
            training = nil
        }
        if let training { files["train.py"] = Data(training.utf8) }
        if let weights { files[weightsFileName] = try checkedWeights(weights, spec: spec, file: file) }
        let readme = ExportReadme(spec: spec, file: file, hasTraining: training != nil, hasWeights: weights != nil)
        files["README.md"] = Data(readme.render().utf8)
        return files
    }

    /// Writes the files of `spec` into `directory`; returns their names, in the order written.
    @discardableResult
    public static func write(_ spec: ValidatedSpec, file: String, directory: String, weights: String?, force: Bool) throws(ExportError) -> [String] {
        let contents = try files(of: spec, file: file, directory: directory, weights: weights)
        let names = contents.keys.sorted()
        try ExportedFile.write(names.map { ExportedFile(name: $0, bytes: contents[$0]!) }, into: directory, force: force)
        return names
    }

    static let weightsFileName = "weights.safetensors"

    /// The weights at `path`, checked against the spec's network, encoded again with nnspec's marker.
    static func checkedWeights(_ path: String, spec: ValidatedSpec, file: String) throws(ExportError) -> Data {
        let network = try ExportWeights.network(of: spec, loading: path)
        do {
            return try SafetensorsFile(stateOf: network, metadata: ["format": "pt", WeightsFile.markerKey: "1"]).encoded()
        } catch {
            throw ExportError(file: path, "--weights: \(error)")
        }
    }
}
