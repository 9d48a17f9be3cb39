import Foundation
import NN

/// `--init` and `--save`: a network's `state_dict()` as a safetensors file with PyTorch's names,
/// loadable with `safetensors.torch.load_file` + `load_state_dict`.
///
/// Overwriting policy: `--save` replaces a file only when nnspec wrote it (its metadata carries
/// `nnspec_weights`) or with `--force`, and never anything but a regular file, so a user's own
/// weights file, a link or a device is never lost by a typo.
enum WeightsFile {
    static let markerKey = "nnspec_weights"

    /// Loads `path` into `network` strictly: every name present, none unexpected, every shape equal,
    /// after removing `strippingPrefix` from the file's names (`--strip-prefix`). Names and shapes are
    /// matched from the file's header first and only the network's tensors are read, so memory stays
    /// within the network's own size whatever the file declares. Messages start with `option` and the
    /// path (`--init W.safetensors: state does not fit the module: …`); a failure ends with a hint when
    /// the file is PyTorch's pickle format or its names carry a prefix (`WeightsHint`).
    static func load(_ path: String, into network: Module, option: String = "--init", strippingPrefix prefix: String = "") throws(TrainingError) {
        do {
            try network.loadState(from: SafetensorsReader(path: path), strippingPrefix: prefix)
        } catch {
            let hint = WeightsHint.forFailedLoad(of: path, into: network, strippingPrefix: prefix).map { " (hint: \($0))" } ?? ""
            throw .weights("\(option) \(path): \(error.description)\(hint)")
        }
    }

    /// Throws unless `path` may be written: a file can be created in its directory, and `path` is
    /// absent, or a regular file written by nnspec, or a regular file and `force`.
    static func checkWritable(_ path: String, force: Bool) throws(TrainingError) {
        do throws(FileWriteError) {
            try OutputPath.requireWritable(path)
        } catch {
            throw .weights("--save \(path): \(error)")
        }
        guard !force, OutputPath.isRegularFile(path) else { return }
        guard (try? SafetensorsReader(path: path))?.metadata[markerKey] != nil else {
            throw .weights("--save \(path): the file exists and was not written by nnspec; pass --force to overwrite it")
        }
    }

    /// Writes `network`'s state to `path` atomically.
    static func save(_ network: Module, to path: String, output: FileOutput = .system) throws(TrainingError) {
        let file = SafetensorsFile(stateOf: network, metadata: ["format": "pt", markerKey: "1"])
        do {
            try AtomicFile.write(try file.encoded(), to: path, output: output)
        } catch {
            throw .weights("--save \(path): \(error)")
        }
    }
}
