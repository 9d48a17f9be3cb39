import Foundation
import NNCatalogue
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
                hint: write `in_features: 4`, or `in_features: auto` to infer it, if the layers before are right

                """)
        let colored = DiagnosticTextRenderer(colored: true).render(result.diagnostics, source: result.source)
        #expect(colored.contains("\u{1B}[1;31merror:\u{1B}[0m"))
    }

    @Test func jsonCarriesTheSameDiagnostics() throws {
        let result = validate(Self.source, file: "net.yaml")
        let json = DiagnosticJSONRenderer.render([(result.file, result.isValid, result.diagnostics)])
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(document["format"] as? String == "nnspec.validate/1")
        #expect(document["nnspec_version"] as? String == ToolVersion.current)
        #expect(document["valid"] as? Bool == false)
        let decoded = try #require(document["files"] as? [[String: Any]])
        let diagnostic = try #require((decoded.first?["diagnostics"] as? [[String: Any]])?.first)
        #expect(decoded.first?["valid"] as? Bool == false)
        #expect(diagnostic["line"] as? Int == 4)
        #expect(diagnostic["column"] as? Int == 43)
        #expect(diagnostic["message"] as? String == "fc expects in_features 5 but receives 4 from input")
    }

    /// A data block over files that are missing, cut short or damaged: a warning for the missing
    /// one (the data may be fetched later), an error naming the file and the byte for the others.
    @Test func dataFileHeadersAreReadAndChecked() throws {
        let directory = FileManager.default.temporaryDirectory.appending(path: "NNSpecTests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let header: [UInt8] = [0, 0, 8, 3, 0, 0, 0, 4, 0, 0, 0, 28, 0, 0, 0, 28]
        try Data(header + [UInt8](repeating: 0, count: 100)).write(to: directory.appending(path: "short-idx3-ubyte"))
        try Data([0, 0, 0x42, 1, 0, 0, 0, 4, 1, 2, 3, 4]).write(to: directory.appending(path: "badtype-idx1-ubyte"))
        let result = SpecValidator.standard.validate(
            source: Array("""
                nnspec: 1
                input: [N, 1, 28, 28]
                layers: [Flatten]
                data:
                  train: {source: idx, images: short-idx3-ubyte, labels: badtype-idx1-ubyte}
                  test: {source: idx, images: absent-idx3-ubyte, labels: badtype-idx1-ubyte}
                """.utf8),
            file: "data.yaml", baseDirectory: directory.path)
        let messages = result.diagnostics.map { "\($0.severity) \($0.mark?.line ?? 0):\($0.mark?.column ?? 0) \($0.message)" }
        #expect(messages == [
            "error 5:32 short-idx3-ubyte: at byte 116: truncated body: dimensions [4, 28, 28] of uint8 need 3136 bytes after the 16-byte header, but the file ends at byte 116",
            "error 5:58 badtype-idx1-ubyte: at byte 2: unknown IDX type code 0x42 (known: 0x08, 0x09, 0x0b, 0x0c, 0x0d, 0x0e)",
            "warning 6:31 absent-idx3-ubyte does not exist (yet), so its IDX header is not checked",
            "error 6:58 badtype-idx1-ubyte: at byte 2: unknown IDX type code 0x42 (known: 0x08, 0x09, 0x0b, 0x0c, 0x0d, 0x0e)",
        ])
    }

    @Test func idxHeaderNeedsPadHint() throws {
        let result = SpecValidator.standard.validate(file: repositoryRoot.appending(path: "specs/invalid/data-idx-needs-pad.yaml").path)
        #expect(result.diagnostics.first?.hint == "add `pad: 2` to data transforms: transforms: [{pad: 2}]")
    }

    @Test func summaryTableTotalsLeNet() throws {
        let spec = try #require(SpecValidator.standard.validate(file: repositoryRoot.appending(path: "examples/lenet.yaml").path).spec)
        let table = SummaryTable.render(spec)
        #expect(table.contains("conv1 (Conv2d)      [N, 6, 28, 28]        156     117,600"))
        #expect(table.contains("1 (F.relu)          [N, 6, 28, 28]         --          --"))
        #expect(table.contains("Total params: 61,706"))
        #expect(table.contains("Mult-adds per sample: 416,520"))
        #expect(table.contains("Params size: 241.04 KiB"))
    }

    @Test func summaryJSONListsLayersAndTotals() throws {
        let result = SpecValidator.standard.validate(file: repositoryRoot.appending(path: "examples/resnet.yaml").path)
        let spec = try #require(result.spec)
        let json = SummaryTable.json(file: result.file, diagnostics: result.diagnostics, spec: spec)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(document["format"] as? String == "nnspec.summary/1")
        #expect(document["valid"] as? Bool == true)
        #expect((document["diagnostics"] as? [Any])?.isEmpty == true)
        let decoded = try #require(document["network"] as? [String: Any])
        let layers = try #require(decoded["layers"] as? [[String: Any]])
        let add = try #require(layers.first { $0["name"] as? String == "b2_add" })
        #expect(add["inputs"] as? [String] == ["b2_bn2", "b2_shortcut"])
        #expect((decoded["totals"] as? [String: Any])?["parameters"] as? Int == 19930)
        #expect(decoded["output"] as? [AnyHashable] == ["N", 10])
    }

    @Test func docsHoldTheGeneratedCatalogue() throws {
        let docs = try String(contentsOf: repositoryRoot.appending(path: "docs/spec-format.md"), encoding: .utf8)
        #expect(docs.contains(CatalogueText(StandardCatalogue.catalogue).markdown()), "regenerate with `nnspec layers --markdown`")
    }
}
