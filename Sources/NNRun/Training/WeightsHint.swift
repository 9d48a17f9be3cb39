import Foundation
import NN
import NNData

/// What to do when `--init` cannot load a file, for the two usual causes: a PyTorch checkpoint
/// saved with `torch.save` (a zip archive, or a bare pickle), and a state dict whose names all
/// carry a wrapper's prefix (`module.` of `DataParallel`, or a model kept as an attribute `net.`).
enum WeightsHint {
    /// The hint for a failed load of `path` into `network`, or nil when neither cause applies.
    static func forFailedLoad(of path: String, into network: Module, strippingPrefix: String) -> String? {
        if isPyTorchPickle(path) {
            return "\(path) is a torch.save file (zip or pickle), not safetensors; convert it in Python with "
                + "safetensors.torch.save_file(model.state_dict(), \"\(safetensorsName(for: path))\")"
        }
        guard strippingPrefix.isEmpty, let reader = try? SafetensorsReader(path: path),
              let prefix = commonPrefix(fileNames: reader.entries.map(\.name), moduleNames: network.stateDictionary().map(\.name))
        else { return nil }
        return "every name in the file starts with '\(prefix)'; --strip-prefix \(prefix) loads them without it"
    }

    /// True when the file starts as `torch.save` writes: "PK" (a zip archive, the default since
    /// PyTorch 1.6) or 0x80 (a pickle's protocol opcode, the legacy format). A FIFO, device or
    /// socket is never opened for this (`RegularFile`): it would block or never end.
    static func isPyTorchPickle(_ path: String) -> Bool {
        guard let descriptor = try? RegularFile.descriptor(at: path) else { return false }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        let head = [UInt8]((try? handle.read(upToCount: 2)) ?? Data())
        return head.starts(with: [0x50, 0x4B]) || head.first == 0x80
    }

    /// The prefix ending in "." that every file name carries and whose removal gives exactly the
    /// module's names ("module.", "net.", "model.backbone."), or nil.
    static func commonPrefix(fileNames: [String], moduleNames: [String]) -> String? {
        guard let first = fileNames.first else { return nil }
        let wanted = Set(moduleNames)
        for dot in first.indices where first[dot] == "." {
            let prefix = String(first[...dot])
            guard fileNames.allSatisfy({ $0.hasPrefix(prefix) }) else { return nil }
            if Set(fileNames.map { String($0.dropFirst(prefix.count)) }) == wanted { return prefix }
        }
        return nil
    }

    /// "model.pt" → "model.safetensors".
    private static func safetensorsName(for path: String) -> String {
        URL(fileURLWithPath: path).deletingPathExtension().appendingPathExtension("safetensors").lastPathComponent
    }
}
