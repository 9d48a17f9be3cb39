import Foundation
import Testing
@testable import NNSpec

@Suite struct RendererAndDataTests {
    static let source = """
        nnspec: 1
        input: [N, 4]
        layers:
          - {name: fc, type: Linear, in_features: 5, out_features: 2}
        """

    @Test func textShowsLocationLineCaretAndHint() {
        let result = validate(Self.source, file: "net.yaml")
        let text = DiagnosticTextRenderer(colored: false).render(result.diagnostics, source: result.source)
        #expect(
            text == """
                net.yaml:4:43: error: fc expects in_features 5 but receives 4 from input
                  - {name: fc, type: Linear, in_features: 5, out_features: 2}
                                                          ^

                """)
        let colored = DiagnosticTextRenderer(colored: true).render(result.diagnostics, source: result.source)
        #expect(colored.contains("\u{1B}[1;31merror:\u{1B}[0m"))
    }

    @Test func jsonCarriesTheSameDiagnostics() throws {
        let result = validate(Self.source, file: "net.yaml")
        let json = DiagnosticJSONRenderer.render([(result.file, result.isValid, result.diagnostics)])
        let decoded = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
        let diagnostic = try #require((decoded.first?["diagnostics"] as? [[String: Any]])?.first)
        #expect(decoded.first?["valid"] as? Bool == false)
        #expect(diagnostic["line"] as? Int == 4)
        #expect(diagnostic["column"] as? Int == 43)
        #expect(diagnostic["message"] as? String == "fc expects in_features 5 but receives 4 from input")
    }

    @Test func gzipPrefixInflatesTheIDXHeader() throws {
        let path = repositoryRoot.appending(path: "specs/data/tiny-28x28-images-idx3-ubyte.gz").path
        #expect(try DataFileHeader.idxDimensions(atPath: path) == [4, 28, 28])
        let plain = repositoryRoot.appending(path: "specs/data/tiny-labels-idx1-ubyte").path
        #expect(try DataFileHeader.idxDimensions(atPath: plain) == [4])
    }

    @Test func idxHeaderNeedsPadHint() throws {
        let result = SpecValidator.validate(file: repositoryRoot.appending(path: "specs/invalid/data-idx-needs-pad.yaml").path)
        #expect(result.diagnostics.first?.hint == "add `pad: 2` to data transforms: transforms: [{pad: 2}]")
    }

    @Test func summaryTableTotalsLeNet() throws {
        let spec = try #require(SpecValidator.validate(file: repositoryRoot.appending(path: "examples/lenet.yaml").path).spec)
        let table = SummaryTable.render(spec)
        #expect(table.contains("conv1 (Conv2d)   [N, 6, 28, 28]        156     117,600"))
        #expect(table.contains("Total params: 61,706"))
        #expect(table.contains("Mult-adds per sample: 416,520"))
        #expect(table.contains("Params size: 241.04 KiB"))
    }

    @Test func docsHoldTheGeneratedCatalogue() throws {
        let docs = try String(contentsOf: repositoryRoot.appending(path: "docs/spec-format.md"), encoding: .utf8)
        #expect(docs.contains(CatalogueText.markdown()), "regenerate with `nnspec layers --markdown`")
    }
}
