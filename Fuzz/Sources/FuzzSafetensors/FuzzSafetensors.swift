import Foundation
import FuzzSupport
import NN

/// Decodes the input as a safetensors file (see `safetensorsBytes(from:)` for the mode byte). A
/// decoded file must hold tensors of their shapes' sizes, and, when the writer takes its values,
/// encode to bytes that decode to the same names, shapes, dtypes, metadata and values.
func fuzzSafetensors(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let bytes = Data(safetensorsBytes(from: FuzzInput(data, count)))
    guard let file = try? SafetensorsFile(decoding: bytes) else { return 0 }
    for named in file.tensors {
        invariant(named.tensor.count == named.tensor.shape.reduce(1, *), "\(named.name): \(named.tensor.count) values for shape \(named.tensor.shape)")
    }
    guard let encoded = try? file.encoded() else { return 0 }
    let decoded: SafetensorsFile
    do {
        decoded = try SafetensorsFile(decoding: encoded)
    } catch {
        invariant(false, "the writer's bytes do not read back: \(error)")
        return 0
    }
    invariant(decoded.metadata == file.metadata, "metadata changed: \(file.metadata) → \(decoded.metadata)")
    invariant(decoded.names == file.names, "names changed: \(file.names) → \(decoded.names)")
    for (before, after) in zip(file.tensors, decoded.tensors) {
        invariant(before.dtype == after.dtype && before.tensor.shape == after.tensor.shape, "\(before.name)'s dtype or shape changed")
        let same = zip(before.tensor.scalars, after.tensor.scalars).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) }
        invariant(same, "\(before.name)'s values changed: \(before.tensor.scalars) → \(after.tensor.scalars)")
    }
    return 0
}
