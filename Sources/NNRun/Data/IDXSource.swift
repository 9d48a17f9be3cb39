import NNData
import NNTensor

extension Dataset {
    /// Images and labels from a pair of IDX files (MNIST's format, plain or gzip).
    ///
    /// Images [count, H, W] become inputs [count, 1, H, W] (one channel, as torchvision's MNIST);
    /// [count, F] and [count, C, H, W] are kept. Labels [count] are class indices for
    /// `.classes(count:)`; for `.values(shape:)` the labels file holds [count] + shape values.
    /// Values are converted to Float as stored (bytes stay 0…255: add a `scale` transform).
    public static func idx(images imagesPath: String, labels labelsPath: String, targets kind: TargetKind) throws(DataError) -> Dataset {
        let images: IDXFile, labels: IDXFile
        do {
            images = try IDXFile.read(path: imagesPath)
            labels = try IDXFile.read(path: labelsPath)
        } catch {
            throw .file(error)
        }
        let count = images.header.dimensions[0]
        guard images.header.dimensions.count >= 2, count > 0 else {
            throw .invalidArgument("\(imagesPath): IDX dimensions \(images.header.dimensions) hold no samples; expected [count, …] with count > 0")
        }
        guard labels.header.dimensions[0] == count else {
            throw .invalidArgument("\(imagesPath) holds \(count) samples but \(labelsPath) holds \(labels.header.dimensions[0]) labels")
        }
        let imageDimensions = images.header.dimensions
        let inputShape = imageDimensions.count == 3 ? [count, 1] + imageDimensions.dropFirst() : imageDimensions
        var inputs = Tensor(zeros: inputShape)
        inputs.scalars.withUnsafeMutableBufferPointer { images.convert(start: 0, count: $0.count, into: $0.baseAddress!) }
        return try Dataset(inputs: inputs, targets: targets(of: labels, path: labelsPath, kind: kind))
    }

    private static func targets(of labels: IDXFile, path: String, kind: TargetKind) throws(DataError) -> Targets {
        let header = labels.header
        switch kind {
        case .classes(let classCount):
            guard header.dimensions.count == 1 else {
                throw .invalidArgument("\(path): class labels must have IDX dimensions [count], not \(header.dimensions)")
            }
            var indices = [Int](repeating: 0, count: header.elementCount)
            for sample in indices.indices {
                let value = labels.value(at: sample)
                guard let index = Targets.classIndex(value, classCount: classCount) else {
                    let offset = header.headerByteCount + sample * header.dataType.byteWidth
                    throw .file(DataFileError(path: path, location: .byte(offset),
                                              message: "label \(value) of sample \(sample) is not a class index in 0..<\(classCount)"))
                }
                indices[sample] = index
            }
            return .classes(indices: indices, classCount: classCount)
        case .positionClasses:
            throw .invalidArgument("\(path): IDX labels are one class per sample, not one per position of the output")
        case .values(let shape):
            guard Array(header.dimensions.dropFirst()) == shape || (shape.elementCount == 1 && header.dimensions.count == 1) else {
                throw .invalidArgument("\(path): targets of shape \(shape) per sample are needed, but the file's IDX dimensions are \(header.dimensions)")
            }
            var values = Tensor(zeros: [header.dimensions[0]] + shape)
            values.scalars.withUnsafeMutableBufferPointer { labels.convert(start: 0, count: $0.count, into: $0.baseAddress!) }
            return .values(values)
        }
    }
}
