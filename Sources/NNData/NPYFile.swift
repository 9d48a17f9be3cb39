/// A `.npy` file of float32 values read front to back in runs of samples, so an input of any size
/// is fed in batches with memory bounded by the batch. A sample is everything after the first
/// dimension: an array [count, 1, 28, 28] holds `count` samples of [1, 28, 28].
///
/// Plain and gzip-compressed files are read alike (`np.save` output piped through gzip).
public final class NPYFile: SampleFileReader {
    public let header: NPYHeader
    /// Samples not yet read.
    public private(set) var remainingSamples: Int
    /// The shape of one sample: `header.shape` without its first dimension.
    public var sampleShape: [Int] { Array(header.shape.dropFirst()) }
    /// Elements per sample.
    public let sampleElementCount: Int
    private let reader: DataFileReader

    /// Opens `path` and reads its header; throws for a file that is not float32 `.npy` data of at
    /// least one dimension, or whose size does not match its header.
    public init(path: String) throws(DataFileError) {
        reader = try DataFileReader(path: path)
        header = try NPYHeader.read(from: reader)
        guard let count = header.shape.first else {
            throw DataFileError(path: path, location: .byte(header.headerByteCount), message: "the array is a scalar; it needs a first dimension of samples")
        }
        let length = try reader.statedLength()
        let dataLength = header.headerByteCount + header.bodyByteCount
        let expected = reader.isCompressed ? dataLength & 0xFFFF_FFFF : dataLength
        guard length == expected else {
            throw DataFileError(
                path: path, location: .byte(min(length, dataLength)),
                message: "the header describes \(header.shape) float32 values (\(dataLength) bytes in all) but \(reader.isCompressed ? "the gzip trailer states" : "the file has") \(length) bytes")
        }
        remainingSamples = count
        sampleElementCount = header.shape.dropFirst().reduce(1, *)
    }

    /// Reads the next `count` samples (at most the remaining ones) into `buffer` (cleared first):
    /// `count × sampleElementCount` values in C order.
    public func readSamples(_ count: Int, into buffer: inout [Float]) throws(DataFileError) {
        let samples = min(count, remainingSamples)
        let elements = samples * sampleElementCount
        buffer.removeAll(keepingCapacity: true)
        buffer.reserveCapacity(elements)
        let start = reader.offset
        let bytes = try reader.read(count: elements * 4)
        guard bytes.count == elements * 4 else {
            throw DataFileError(path: reader.path, location: .byte(start + bytes.count), message: "the data ends early")
        }
        for index in 0..<elements {
            let bits = UInt32(bytes[4 * index]) | UInt32(bytes[4 * index + 1]) << 8
                | UInt32(bytes[4 * index + 2]) << 16 | UInt32(bytes[4 * index + 3]) << 24
            buffer.append(Float(bitPattern: bits))
        }
        remainingSamples -= samples
    }

    /// The bytes of `values` as a `.npy` body: float32, little-endian.
    public static func encodedBody(_ values: some Collection<Float>) -> [UInt8] {
        values.map { $0.bitPattern.littleEndian }.withUnsafeBytes { Array($0) }
    }
}
