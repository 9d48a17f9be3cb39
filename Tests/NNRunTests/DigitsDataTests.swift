import NNData
import Testing
@testable import NNRun

/// The digits data set shipped in examples/data/digits (made by tools/make_digits.py).
@Suite struct DigitsDataTests {
    private func path(_ name: String) -> String {
        repositoryRoot.appendingPathComponent("examples/data/digits/\(name)").path
    }

    private func classCounts(_ targets: Targets) -> [Int] {
        guard case .classes(let indices, _) = targets else { return [] }
        return (0..<10).map { digit in indices.count { $0 == digit } }
    }

    @Test func headersDescribeTheSplit() throws {
        #expect(try IDXFile.readHeader(path: path("train-images-idx3-ubyte.gz")).dimensions == [1437, 8, 8])
        #expect(try IDXFile.readHeader(path: path("train-labels-idx1-ubyte.gz")).dimensions == [1437])
        #expect(try IDXFile.readHeader(path: path("test-images-idx3-ubyte.gz")).dimensions == [360, 8, 8])
        #expect(try IDXFile.readHeader(path: path("test-labels-idx1-ubyte.gz")).magic == 0x0000_0801)
    }

    @Test func trainAndTestSplitsLoadWithStratifiedClasses() throws {
        let train = try Dataset.idx(images: path("train-images-idx3-ubyte.gz"), labels: path("train-labels-idx1-ubyte.gz"),
                                    targets: .classes(count: 10)).transformed(by: [.scale(1.0 / 16)])
        let test = try Dataset.idx(images: path("test-images-idx3-ubyte.gz"), labels: path("test-labels-idx1-ubyte.gz"),
                                   targets: .classes(count: 10))
        #expect(train.inputs.shape == [1437, 1, 8, 8])
        #expect(test.inputs.shape == [360, 1, 8, 8])
        #expect(classCounts(train.targets) == [142, 146, 142, 146, 145, 145, 145, 143, 139, 144])
        #expect(classCounts(test.targets) == [36, 36, 35, 37, 36, 37, 36, 36, 35, 36])
        #expect(train.inputs.scalars.max() == 1)
        #expect(train.inputs.scalars.min() == 0)
        #expect(Set(test.inputs.scalars) == Set((0...16).map { Float($0) }))
        #expect(try DataLoader(dataset: train, batchSize: 64, dropLast: true).batchCount == 22)
    }
}
