import Foundation
import NNTensor

extension SafetensorsFile {
    /// The file's bytes: tensors in their given order, each in its `dtype`, the header padded with
    /// spaces to a multiple of 8 bytes (as the reference implementation does) so the data stays aligned.
    /// Throws on a duplicate or reserved name, or a value the tensor's dtype cannot hold.
    public func encoded() throws(SafetensorsError) -> Data {
        try encoded(dataSection: encodedDataSection())
    }

    /// The file's bytes around `dataSection`, which `encodedDataSection()` made from these tensors
    /// (a caller that needs the data first, to checksum it into the metadata, encodes it once).
    public func encoded(dataSection: Data) throws(SafetensorsError) -> Data {
        var seen = Set<String>()
        for tensor in tensors {
            guard tensor.name != SafetensorsHeader.metadataKey else {
                throw .invalidName("'\(SafetensorsHeader.metadataKey)' is reserved for metadata")
            }
            guard seen.insert(tensor.name).inserted else { throw .invalidName("'\(tensor.name)' appears twice") }
        }
        var header = headerJSON()
        header.append(contentsOf: repeatElement(UInt8(ascii: " "), count: (8 - header.count % 8) % 8))
        var bytes = Data(capacity: 8 + header.count + dataSection.count)
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: header)
        bytes.append(dataSection)
        return bytes
    }

    /// The data section: every tensor in its `dtype`, in order, with no gaps. Throws on a value a
    /// tensor's dtype cannot hold.
    public func encodedDataSection() throws(SafetensorsError) -> Data {
        var bytes = Data(count: tensors.reduce(0) { $0 + $1.tensor.count * $1.dtype.byteSize })
        var unrepresentable: (tensor: NamedTensor, index: Int)?
        bytes.withUnsafeMutableBytes { bytes in
            guard bytes.count > 0 else { return }
            var offset = 0
            for named in tensors {
                let failure = named.tensor.scalars.withUnsafeBufferPointer { named.dtype.encode($0, into: bytes.baseAddress! + offset) }
                if let failure {
                    unrepresentable = (named, failure)
                    return
                }
                offset += named.tensor.count * named.dtype.byteSize
            }
        }
        if let (tensor, index) = unrepresentable {
            throw .unrepresentableValue(tensor: tensor.name, value: tensor.tensor.scalars[index], dtype: tensor.dtype.rawValue)
        }
        return bytes
    }

    /// Writes the file atomically: to a temporary file in the same directory, then renamed over `url`,
    /// so a reader never sees a half-written file.
    public func write(to url: URL) throws(SafetensorsError) {
        let bytes = try encoded()
        let directory = url.deletingLastPathComponent()
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        do {
            try bytes.write(to: temporary)
        } catch {
            throw .io(path: temporary.path, message: "cannot write: \(error.localizedDescription)")
        }
        guard rename(temporary.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw .io(path: url.path, message: "cannot rename \(temporary.lastPathComponent) into place: \(reason)")
        }
    }

    /// `{"__metadata__":{…},"name":{"dtype":"F32","shape":[…],"data_offsets":[b,e]},…}` in tensor order.
    private func headerJSON() -> [UInt8] {
        var fields: [String] = []
        if !metadata.isEmpty {
            let pairs = metadata.sorted { $0.key < $1.key }.map { "\(jsonString($0.key)):\(jsonString($0.value))" }
            fields.append("\(jsonString(SafetensorsHeader.metadataKey)):{\(pairs.joined(separator: ","))}")
        }
        var offset = 0
        for named in tensors {
            let end = offset + named.tensor.count * named.dtype.byteSize
            let shape = named.tensor.shape.map(String.init).joined(separator: ",")
            fields.append("\(jsonString(named.name)):{\"dtype\":\"\(named.dtype.rawValue)\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(end)]}")
            offset = end
        }
        return Array("{\(fields.joined(separator: ","))}".utf8)
    }
}

/// `text` as a JSON string literal.
private func jsonString(_ text: String) -> String {
    var result = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": result += "\\\""
        case "\\": result += "\\\\"
        case "\n": result += "\\n"
        case "\r": result += "\\r"
        case "\t": result += "\\t"
        case _ where scalar.value < 0x20: result += String(format: "\\u%04x", scalar.value)
        default: result.unicodeScalars.append(scalar)
        }
    }
    return result + "\""
}
