/// An IDX file read front to back in runs of samples, converted to Float: images [count, H, W] are
/// `count` samples of [H, W]. Plain and gzip-compressed files are read alike.
public final class IDXSampleReader: SampleFileReader {
    public let header: IDXHeader
    /// Samples not yet read.
    public private(set) var remainingSamples: Int
    /// The shape of one sample: the dimensions after the first.
    public var sampleShape: [Int] { Array(header.dimensions.dropFirst()) }
    /// Elements per sample.
    public let sampleElementCount: Int
    private let reader: DataFileReader
    private var bytes: [UInt8] = []

    /// Opens `path` and reads its header; a plain file's size is checked against it at once, a gzip
    /// file's length as it is read (its end must come exactly after the last sample).
    public init(path: String) throws(DataFileError) {
        reader = try DataFileReader(path: path)
        header = try IDXHeader.read(from: reader)
        if !reader.isCompressed {
            let fileLength = try reader.statedLength()
            if fileLength != header.dataLength { throw header.lengthError(dataLength: fileLength, path: path, stated: "the file") }
        }
        remainingSamples = header.dimensions[0]
        sampleElementCount = header.dimensions.dropFirst().reduce(1, *)
    }

    public func readSamples(_ count: Int, into buffer: inout [Float]) throws(DataFileError) {
        let samples = min(count, remainingSamples)
        let elements = samples * sampleElementCount
        let start = reader.offset
        bytes = try reader.read(count: elements * header.dataType.byteWidth)
        guard bytes.count == elements * header.dataType.byteWidth else {
            throw header.lengthError(dataLength: start + bytes.count, path: reader.path, stated: "the data")
        }
        buffer = [Float](unsafeUninitializedCapacity: elements) { values, initialized in
            if let destination = values.baseAddress {
                bytes.withUnsafeBytes { IDXFile.convert($0, of: header.dataType, start: 0, count: elements, into: destination) }
            }
            initialized = elements
        }
        remainingSamples -= samples
        if remainingSamples == 0, !(try reader.read(count: 1)).isEmpty {
            throw header.lengthError(dataLength: try reader.skipToEnd(), path: reader.path, stated: "the data")
        }
    }
}
