import Foundation
import Testing
@testable import NNRun

/// Which files `nnspec test PATH...` visits, in which order.
@Suite struct RegressionDiscoveryTests {
    @Test func foldersAreSearchedRecursivelyForYAMLInSortedOrder() throws {
        let scratch = try ScratchDirectory()
        let root = scratch.url.path
        for folder in ["b", "a/deep", ".hidden"] {
            try FileManager.default.createDirectory(atPath: "\(root)/\(folder)", withIntermediateDirectories: true)
        }
        for file in ["b/z.yaml", "b/m.yml", "a/deep/k.YAML", "a/notes.md", "a/x.golden.json", ".hidden/h.yaml", "top.yaml"] {
            _ = try scratch.write("nnspec: 1\n", to: file)
        }
        let found = try SpecDiscovery.specFiles(under: [root + "/"])
        #expect(found == ["a/deep/k.YAML", "b/m.yml", "b/z.yaml", "top.yaml"].map { "\(root)/\($0)" })
    }

    @Test func filesAreTakenAsGivenAndDuplicatesDropped() throws {
        let scratch = try ScratchDirectory()
        let spec = try scratch.write("nnspec: 1\n", to: "net.txt")
        let other = try scratch.write("nnspec: 1\n", to: "a.yaml")
        #expect(try SpecDiscovery.specFiles(under: [spec, scratch.url.path, other]) == [other, spec])
    }

    @Test func aFilterKeepsMatchingPaths() throws {
        let scratch = try ScratchDirectory()
        for file in ["lenet.yaml", "mlp.yaml", "lenet-auto.yaml"] { _ = try scratch.write("nnspec: 1\n", to: file) }
        let found = try SpecDiscovery.specFiles(under: [scratch.url.path], matching: try Regex("lenet(-auto)?\\.yaml$"))
        #expect(found == ["lenet-auto.yaml", "lenet.yaml"].map(scratch.path))
    }

    @Test func aMissingPathIsAnError() {
        #expect(throws: RegressionError("no such file or folder: /no/such/specs")) {
            try SpecDiscovery.specFiles(under: ["/no/such/specs"])
        }
    }
}
