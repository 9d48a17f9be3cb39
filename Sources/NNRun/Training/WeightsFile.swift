import Foundation
import NN

/// `--init` and `--save`: a network's `state_dict()` as a safetensors file with PyTorch's names,
/// loadable with `safetensors.torch.load_file` + `load_state_dict`.
///
/// Overwriting policy: `--save` replaces a file only when nnspec wrote it (its metadata carries
/// `nnspec_weights`) or with `--force`, so a user's own weights file is never lost by a typo.
enum WeightsFile {
    static let markerKey = "nnspec_weights"

    /// Loads `path` into `network` strictly: every name present, none unexpected, every shape equal.
    static func load(_ path: String, into network: Module) throws(TrainingError) {
        do {
            try network.loadState(from: SafetensorsFile(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw .weights("--init \(path): \(error.description)")
        }
    }

    /// Throws unless `path` may be written: absent, or written by nnspec, or `force`; its directory must exist.
    static func checkWritable(_ path: String, force: Bool) throws(TrainingError) {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .weights("--save \(path): the directory \(directory) does not exist")
        }
        guard FileManager.default.fileExists(atPath: path), !force else { return }
        let file = try? SafetensorsFile(contentsOf: URL(fileURLWithPath: path))
        guard file?.metadata[markerKey] != nil else {
            throw .weights("--save \(path): the file exists and was not written by nnspec; pass --force to overwrite it")
        }
    }

    /// Writes `network`'s state to `path` atomically.
    static func save(_ network: Module, to path: String) throws(TrainingError) {
        let file = SafetensorsFile(stateOf: network, metadata: ["format": "pt", markerKey: "1"])
        do {
            try AtomicFile.write(try file.encoded(), to: path)
        } catch {
            throw .weights("--save \(path): \(error)")
        }
    }
}
