import Foundation
import NNCatalogue
import NNSpec
import Testing
@testable import NNRun

/// The project's own corpus — specs/ and examples/ — through the runner `nnspec test` uses,
/// one test case per spec file, so that a failure names the spec.
@Suite struct RegressionCorpusTests {
    /// Every spec below specs/ and examples/, relative to the repository root ("specs/valid/mlp.yaml").
    static let corpus: [String] = {
        let root = repositoryRoot.path + "/"
        let found = (try? SpecDiscovery.specFiles(under: [root + "specs", root + "examples"])) ?? []
        return found.map { String($0.dropFirst(root.count)) }
    }()

    @Test(arguments: corpus)
    func specPasses(_ spec: String) {
        let runner = RegressionRunner(trainer: StandardSpecTrainer())
        let result = runner.test(specAt: repositoryRoot.appending(path: spec).path)
        #expect(result.passed, "\(RegressionReport.text(result))")
    }

    @Test func theCorpusHasInvalidAndValidSpecs() {
        #expect(Self.corpus.filter { $0.hasPrefix("specs/invalid/") }.count >= 40)
        #expect(Self.corpus.filter { $0.hasPrefix("specs/valid/") }.count >= 5)
    }

    /// A valid spec of the corpus states at least its parameter count and output shape.
    @Test(arguments: corpus.filter { $0.hasPrefix("specs/valid/") || $0.hasPrefix("examples/") })
    func validSpecStatesItsShape(_ spec: String) throws {
        let validated = try #require(SpecValidator.standard.validate(file: repositoryRoot.appending(path: spec).path).spec)
        #expect(validated.expect.parameters != nil, "\(spec) has no expect: parameters")
        #expect(validated.expect.output != nil, "\(spec) has no expect: output")
    }
}
