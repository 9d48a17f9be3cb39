import NNData
import NNTensor
import Testing
@testable import NNRun

@Suite struct IDXSourceTests {
    /// Writes 3 images of 2×2 bytes and their labels; returns the two paths.
    private func writeImages(in directory: ScratchDirectory, labels: [Double], compressed: Bool = true) throws -> (String, String) {
        let images = directory.path("images.gz"), labelsPath = directory.path(compressed ? "labels.gz" : "labels")
        try IDXFile.write(dataType: .uint8, dimensions: [3, 2, 2], values: (0..<12).map { Double($0 * 20) }, to: images, compressed: true)
        try IDXFile.write(dataType: .uint8, dimensions: [labels.count], values: labels, to: labelsPath, compressed: compressed)
        return (images, labelsPath)
    }

    @Test func imagesGetAChannelDimensionAndLabelsBecomeClasses() throws {
        let directory = try ScratchDirectory()
        let (images, labels) = try writeImages(in: directory, labels: [2, 0, 9])
        let data = try Dataset.idx(images: images, labels: labels, targets: .classes(count: 10))
        #expect(data.inputs.shape == [3, 1, 2, 2])
        #expect(data.inputs.scalars == (0..<12).map { Float($0 * 20) })
        #expect(data.targets == .classes(indices: [2, 0, 9], classCount: 10))
    }

    @Test func labelsOutsideTheClassesNameTheByte() throws {
        let directory = try ScratchDirectory()
        let (images, labels) = try writeImages(in: directory, labels: [2, 10, 1], compressed: false)
        #expect(dataError { try Dataset.idx(images: images, labels: labels, targets: .classes(count: 10)) }?.description ==
            "\(labels): at byte 9: label 10.0 of sample 1 is not a class index in 0..<10")
    }

    @Test func countsMustMatch() throws {
        let directory = try ScratchDirectory()
        let (images, labels) = try writeImages(in: directory, labels: [1, 2])
        #expect(dataError { try Dataset.idx(images: images, labels: labels, targets: .classes(count: 10)) }?.description ==
            "\(images) holds 3 samples but \(labels) holds 2 labels")
    }

    @Test func fileErrorsPassThroughNamingTheFile() throws {
        let directory = try ScratchDirectory()
        let (images, _) = try writeImages(in: directory, labels: [1, 2, 3])
        let missing = directory.path("missing-labels")
        #expect(dataError { try Dataset.idx(images: images, labels: missing, targets: .classes(count: 10)) } ==
            .file(DataFileError(path: missing, location: .file, message: "cannot open: No such file or directory")))
    }

    @Test func valueTargetsComeFromTheLabelsFile() throws {
        let directory = try ScratchDirectory()
        let images = directory.path("x"), targets = directory.path("y")
        try IDXFile.write(dataType: .float32, dimensions: [2, 3], values: [1, 2, 3, 4, 5, 6], to: images, compressed: false)
        try IDXFile.write(dataType: .float32, dimensions: [2, 2], values: [0.5, -1, 2, 8], to: targets, compressed: false)
        let data = try Dataset.idx(images: images, labels: targets, targets: .values(shape: [2]))
        #expect(data.inputs.shape == [2, 3])
        #expect(data.targets == .values(Tensor(shape: [2, 2], scalars: [0.5, -1, 2, 8])))
        #expect(dataError { try Dataset.idx(images: images, labels: targets, targets: .values(shape: [3])) }?.description ==
            "\(targets): targets of shape [3] per sample are needed, but the file's IDX dimensions are [2, 2]")
    }
}

@Suite struct CSVSourceTests {
    private let table = "f1,f2,digit,f3\n0.5,1,3,2\n1.5,2,0,4\n\n2.5,3,1,6\n"

    @Test func labelByNameAndOtherColumnsAsFeatures() throws {
        let directory = try ScratchDirectory()
        let path = try directory.write(table, to: "table.csv")
        let data = try Dataset.csv(path: path, hasHeader: true, label: .name("digit"), targets: .classes(count: 4))
        #expect(data.inputs == Tensor(shape: [3, 3], scalars: [0.5, 1, 2, 1.5, 2, 4, 2.5, 3, 6]))
        #expect(data.targets == .classes(indices: [3, 0, 1], classCount: 4))
    }

    @Test func chosenFeaturesInTheirOrderAndRegressionTargets() throws {
        let directory = try ScratchDirectory()
        let path = try directory.write(table, to: "table.csv")
        let data = try Dataset.csv(path: path, hasHeader: true, label: .index(0), features: [.name("f3"), .index(1)],
                                   targets: .values(shape: [1]))
        #expect(data.inputs == Tensor(shape: [3, 2], scalars: [2, 1, 4, 2, 6, 3]))
        #expect(data.targets == .values(Tensor(shape: [3, 1], scalars: [0.5, 1.5, 2.5])))
    }

    @Test func badLabelsAndColumnsAreNamed() throws {
        let directory = try ScratchDirectory()
        let path = try directory.write(table, to: "table.csv")
        #expect(dataError { try Dataset.csv(path: path, hasHeader: true, label: .name("digit"), targets: .classes(count: 3)) }?
            .description == "\(path):2: label 3.0 in column \"digit\" is not a class index in 0..<3")
        #expect(dataError { try Dataset.csv(path: path, hasHeader: true, label: .name("f1"), targets: .classes(count: 3)) }?
            .description == "\(path):2: label 0.5 in column \"f1\" is not a class index in 0..<3")
        #expect(dataError { try Dataset.csv(path: path, hasHeader: true, label: .name("class"), targets: .classes(count: 3)) }?
            .description == "\(path):1:1: no column named \"class\" (columns: f1, f2, digit, f3)")
        #expect(dataError { try Dataset.csv(path: path, hasHeader: true, label: .index(2), features: [.index(2)], targets: .classes(count: 4)) }?
            .description == "\(path): the feature columns [2] must be non-empty and exclude the label column 2")
        #expect(dataError { try Dataset.csv(path: path, hasHeader: true, label: .index(2), targets: .values(shape: [2])) }?
            .description == "\(path): a CSV label column gives one target value per sample, but targets of shape [2] are needed")
    }

    /// `target_columns`: those columns, in the order given, are float targets [N, k]; every other column
    /// is an input, in file order.
    @Test func targetColumnsAreRegressionTargetsAndTheRestInputs() throws {
        let directory = try ScratchDirectory()
        let path = try directory.write(table, to: "table.csv")
        let data = try Dataset.csv(path: path, hasHeader: true, targetColumns: [.name("f3"), .index(0)])
        #expect(data.inputs == Tensor(shape: [3, 2], scalars: [1, 3, 2, 0, 3, 1]))
        #expect(data.targets == .values(Tensor(shape: [3, 2], scalars: [2, 0.5, 4, 1.5, 6, 2.5])))
        #expect(dataError { try Dataset.csv(path: path, hasHeader: true, targetColumns: [.index(1), .name("f2")]) }?
            .description == "\(path): the target columns [1, 1] must be distinct and leave at least one of the 4 columns as input")
        #expect(dataError { try Dataset.csv(path: path, hasHeader: true, targetColumns: (0..<4).map(CSVColumn.index)) } != nil)
        #expect(dataError { try Dataset.csv(path: path, hasHeader: true, targetColumns: [.name("price")]) }?
            .description == "\(path):1:1: no column named \"price\" (columns: f1, f2, digit, f3)")
    }

    @Test func malformedFilesNameLineAndColumn() throws {
        let directory = try ScratchDirectory()
        let path = try directory.write("a,b\n1,2\n3\n", to: "ragged.csv")
        #expect(dataError { try Dataset.csv(path: path, hasHeader: true, label: .index(1), targets: .classes(count: 4)) }?
            .description == "\(path):3:2: ragged row: 1 fields, but the first line has 2")
    }
}

/// The iris CSV files shipped in examples/data/iris (made by tools/make_iris.py).
@Suite struct IrisDataTests {
    @Test func trainAndTestFilesLoadThroughTheCSVSource() throws {
        let directory = repositoryRoot.appendingPathComponent("examples/data/iris")
        #expect(try CSVFile.readHeader(path: directory.appendingPathComponent("train.csv").path, hasHeader: true).columnCount == 5)
        for (name, rows) in [("train.csv", 120), ("test.csv", 30)] {
            let data = try Dataset.csv(path: directory.appendingPathComponent(name).path, hasHeader: true,
                                       label: .name("species"), targets: .classes(count: 3))
            #expect(data.inputs.shape == [rows, 4])
            guard case .classes(let indices, _) = data.targets else { return }
            #expect((0..<3).map { species in indices.count { $0 == species } } == Array(repeating: rows / 3, count: 3))
            #expect(data.inputs.scalars.allSatisfy { $0 > 0 && $0 < 8 })
        }
    }
}
