import NNData
import NNSpec
import Testing
@testable import NNRun

@Suite struct MemoryEstimateTests {
    private func estimate(optimizer: String) throws -> MemoryEstimate {
        MemoryEstimate(spec: try linearSpec(optimizer: optimizer))
    }

    @Test func optimizerStateFollowsTheConfiguration() throws {
        let parameterBytes = 12.0 * 4
        #expect(try estimate(optimizer: "SGD").optimizerBytes == 0)
        #expect(try estimate(optimizer: "{type: SGD, momentum: 0.9}").optimizerBytes == parameterBytes)
        #expect(try estimate(optimizer: "Adam").optimizerBytes == 2 * parameterBytes)
        #expect(try estimate(optimizer: "{type: Adam, amsgrad: true}").optimizerBytes == 3 * parameterBytes)
        #expect(try estimate(optimizer: "{type: AdamW, amsgrad: true}").optimizerBytes == 3 * parameterBytes)
        #expect(try estimate(optimizer: "RMSprop").optimizerBytes == parameterBytes)
        #expect(try estimate(optimizer: "{type: RMSprop, momentum: 0.5, centered: true}").optimizerBytes == 3 * parameterBytes)
    }

    /// Attention keeps its weights, heads × L × L per sample (and their dropout masks), with the packed
    /// projections and joined heads: counted with the outputs and their gradients.
    @Test func attentionWeightsAreCounted() throws {
        let spec = try validatedSpec("""
            nnspec: 1
            input: [N, 100, 16]
            layers:
              - {name: attn, type: MultiheadAttention, embed_dim: 16, num_heads: 4, dropout: 0.1, batch_first: true}
            data: {batch_size: 8, train: {source: random, samples: 8}}
            """)
        let kept = 4 * 100 * 100 * 2 + 2 * 100 * 3 * 16 + 100 * 16
        #expect(spec.layers[0].savedElements == kept)
        #expect(MemoryEstimate(spec: spec).activationBytes == Double((2 * 100 * 16 + kept) * 8 * 4))
    }

    private let digitsImages = repositoryRoot.appendingPathComponent("examples/data/digits/train-images-idx3-ubyte.gz").path
    private let digitsLabels = repositoryRoot.appendingPathComponent("examples/data/digits/train-labels-idx1-ubyte.gz").path

    private func digitsSpec(in scratch: ScratchDirectory) throws -> String {
        try scratch.write("""
            nnspec: 1
            input: [N, 1, 12, 12]
            layers:
              - Flatten
              - {name: fc, type: Linear, in_features: 144, out_features: 10}
            loss: CrossEntropyLoss
            optimizer: SGD
            data:
              batch_size: 4
              transforms: [{pad: 2}]
              train: {source: idx, images: \(digitsImages), labels: \(digitsLabels)}
            """, to: "digits.yaml")
    }

    /// IDX data: the raw bodies, float32 inputs padded to the input's 12×12, and class indices.
    @Test func idxDataIsSizedFromItsHeaders() throws {
        let scratch = try ScratchDirectory()
        let estimate = MemoryEstimate(spec: try validatedSpec(path: try digitsSpec(in: scratch)))
        let images = try IDXFile.readHeader(path: digitsImages), labels = try IDXFile.readHeader(path: digitsLabels)
        let count = images.dimensions[0]
        let expected = Double(images.bodyByteCount + labels.bodyByteCount) + Double(count * 144 * 4) + Double(count * 8)
        #expect(estimate.dataBytes == expected)
        #expect(estimate.parts.contains { $0.name == "the train data" && $0.bytes == expected })
    }

    /// A data set that does not fit is refused before loading, named as the dominant part.
    @Test func idxDataBeyondMemoryIsRefused() throws {
        let scratch = try ScratchDirectory()
        let path = try digitsSpec(in: scratch)
        let estimate = MemoryEstimate(spec: try validatedSpec(path: path))
        let run = runTrain(path, memoryLimit: Int(estimate.totalBytes - estimate.dataBytes / 2))
        #expect(run.status == 1)
        #expect(run.error.contains("data \(formatBytes(estimate.dataBytes))"))
        #expect(run.error.contains("the train data needs the most"))
        #expect(run.error.contains("samples of [8, 8] from \(digitsImages)"))
        #expect(run.output.isEmpty)
    }

    /// The refusal comes before loading: labels that only loading finds bad (class 12 of 10) are
    /// reported with room to load, and the memory refusal comes instead without it.
    @Test func dataBeyondMemoryIsRefusedBeforeLoading() throws {
        let scratch = try ScratchDirectory()
        let images = scratch.path("images-idx3-ubyte"), labels = scratch.path("labels-idx1-ubyte")
        try IDXFile.write(dataType: .uint8, dimensions: [64, 4, 4], values: Array(repeating: 1, count: 64 * 16), to: images, compressed: false)
        try IDXFile.write(dataType: .uint8, dimensions: [64], values: Array(repeating: 12, count: 64), to: labels, compressed: false)
        let path = try scratch.write("""
            nnspec: 1
            input: [N, 1, 4, 4]
            layers:
              - Flatten
              - {type: Linear, in_features: 16, out_features: 10}
            loss: CrossEntropyLoss
            optimizer: SGD
            data:
              batch_size: 4
              train: {source: idx, images: \(images), labels: \(labels)}
            """, to: "bad-labels.yaml")
        let estimate = MemoryEstimate(spec: try validatedSpec(path: path))
        #expect(runTrain(path).error.contains("label 12.0 of sample 0 is not a class index in 0..<10"))
        let refused = runTrain(path, memoryLimit: Int(estimate.totalBytes) - 1)
        #expect(refused.status == 1)
        #expect(refused.error.contains("needs an estimated"))
        #expect(!refused.error.contains("label 12"))
    }

    /// CSV data: rows estimated from the file's length and its first lines' length, then every value
    /// as float32, line numbers, inputs, labels and targets.
    @Test func csvDataIsSizedFromItsLengthAndColumns() throws {
        let scratch = try ScratchDirectory()
        let rowCount = 20_000
        let rows = (0..<rowCount).map { "0.\($0 % 10),1.5,2.\($0 % 7),\($0 % 3)" }
        let csv = try scratch.write("a,b,c,label\n" + rows.joined(separator: "\n") + "\n", to: "big.csv")
        let spec = try validatedSpec("""
            nnspec: 1
            input: [N, 3]
            layers:
              - {type: Linear, in_features: 3, out_features: 3}
            loss: CrossEntropyLoss
            data:
              batch_size: 4
              train: {source: csv, path: \(csv), label_column: 3, header: true}
            """)
        let estimated = try #require(DataSetMemory.estimatedRowCount(path: csv))
        #expect(abs(Double(estimated - rowCount)) < 0.01 * Double(rowCount))
        // Four float32 values, a line number, three float32 inputs, a float32 label, a class index.
        let perRow: Double = 16 + 8 + 12 + 4 + 8
        #expect(MemoryEstimate(spec: spec).dataBytes == Double(estimated) * perRow)
    }

    @Test func smallCsvFilesCountTheirLines() throws {
        let scratch = try ScratchDirectory()
        let csv = try scratch.write("1,2,0\n3,4,1\n5,6,0\n", to: "small.csv")
        #expect(DataSetMemory.estimatedRowCount(path: csv) == 3)
        #expect(DataSetMemory.estimatedRowCount(path: try scratch.write("1,2,0\n3,4,1", to: "unterminated.csv")) == 2)
        #expect(DataSetMemory.estimatedRowCount(path: scratch.path("missing.csv")) == nil)
    }
}
