import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import NNSpec
import Testing
@testable import NNRun

/// `nnspec graph` and the report's diagram: the graph read from a spec, the DOT text against golden
/// files (Fixtures/graph/NAME.dot; tools/check_graph_dot.sh lays such text out with Graphviz), and
/// the SVG's structure and layout.
@Suite struct NetworkDiagramTests {
    static func graph(_ specPath: String, depth: Int? = nil) throws -> NetworkGraph {
        NetworkGraph(try validatedSpec(path: repositoryRoot.appendingPathComponent(specPath).path), depth: depth)
    }

    /// The elements of `svg` (parsed by Foundation's XMLDocument, so it must be well-formed) that
    /// `xpath` selects, namespaces aside.
    static func elements(_ svg: String, _ xpath: String) throws -> [XMLNode] {
        try XMLDocument(xmlString: svg, options: []).nodes(forXPath: xpath)
    }

    /// A Sequential spec (LeNet), graphs with from: (Concat; Add with a projection shortcut), nested
    /// containers with functional steps and use:, and blocks (torchvision's resnet18).
    @Test(arguments: ["examples/lenet.yaml", "specs/valid/concat-reshape.yaml", "examples/resnet.yaml",
                      "specs/valid/nested.yaml", "examples/resnet18.yaml"])
    func dotEqualsGolden(specPath: String) throws {
        let spec = try validatedSpec(path: repositoryRoot.appendingPathComponent(specPath).path)
        let name = URL(fileURLWithPath: specPath).deletingPathExtension().lastPathComponent
        let golden = try String(contentsOf: repositoryRoot.appendingPathComponent("Tests/NNRunTests/Fixtures/graph/\(name).dot"), encoding: .utf8)
        #expect(NetworkDiagramFile.text(spec, format: .dot) == golden, "\(name).dot")
    }

    @Test func branchesAndJoinsReadTheirSources() throws {
        let graph = try Self.graph("specs/valid/concat-reshape.yaml")
        #expect(graph.nodes.map(\.title).prefix(4) == ["input", "left (Conv2d)", "right (Conv2d)", "joined (Concat)"])
        #expect(graph.nodes.map(\.inputs).prefix(4) == [[], [0], [0], [1, 2]])
        #expect(graph.groups.isEmpty)
    }

    /// resnet18's blocks: each a group inside its stage, the shortcut read from the block's input
    /// (its downsample's first layer, or torch.add itself), functional steps marked as such.
    @Test func blocksAreGroupsInsideTheirStage() throws {
        let graph = try Self.graph("examples/resnet18.yaml")
        #expect(graph.groups.map(\.title).prefix(4) == ["layer1 (Sequential)", "layer1.0 (BasicBlock)", "layer1.1 (BasicBlock)",
                                                        "layer2 (Sequential)"])
        #expect(graph.groups.count == 4 + 8 + 3, "4 stages, 8 blocks, 3 downsample shortcuts")
        #expect(graph.groups[1].parent == 0 && graph.groups[0].parent == nil)
        let add = try #require(graph.nodes.firstIndex { $0.title == "layer1.0.5 (torch.add)" })
        let blockInput = try #require(graph.nodes.firstIndex { $0.title == "maxpool (MaxPool2d)" })
        #expect(graph.nodes[add].kind == .functional)
        #expect(graph.nodes[add].inputs == [add - 1, blockInput])
        let downsample = try #require(graph.nodes.firstIndex { $0.title == "layer2.0.downsample.0 (Conv2d)" })
        #expect(graph.nodes[downsample].inputs == [try #require(graph.nodes.firstIndex { $0.title == "layer1.1.6 (ReLU)" })], "the block's input: the block before's output")
        #expect(graph.groups[try #require(graph.nodes[downsample].group)].title == "layer2.0.downsample (Sequential)")
    }

    /// `depth` collapses containers as `summary --depth` shows them: the groups and boxes in
    /// forward order are the table's rows, with the same shapes and totals.
    @Test(arguments: [1, 2, 3, nil])
    func depthShowsTheSummaryRows(depth: Int?) throws {
        let spec = try validatedSpec(path: repositoryRoot.appendingPathComponent("examples/resnet18.yaml").path)
        let graph = NetworkGraph(spec, depth: depth)
        var outline: [(title: String, detail: String)] = [], open: [Int] = []
        for node in graph.nodes.dropFirst() {
            let chain = graph.chain(to: node.group)
            open = open.filter(chain.contains)
            for group in chain where !open.contains(group) {
                open.append(group)
                outline.append((graph.groups[group].title, graph.groups[group].detail))
            }
            outline.append((node.title, node.detail))
        }
        /// "layer1.0.conv1 (Conv2d)" → "conv1 (Conv2d)", as the summary's tree names it.
        func local(_ title: String) -> String {
            let name = title.prefix { $0 != " " }
            return (name.split(separator: ".").last.map(String.init) ?? "") + title.dropFirst(name.count)
        }
        let rows = SummaryTable.rows(spec, depth: depth ?? 99).dropFirst()
        #expect(outline.map { local($0.title) } == rows.map { $0[0].trimmingCharacters(in: .whitespaces) })
        #expect(outline.map(\.detail) == rows.map { "\($0[1]) · " + ($0[2] == "--" ? "no parameters" : "\($0[2]) parameters") })
        #expect(graph.nodes.contains { $0.kind == .collapsed } == (depth != nil))
    }

    /// One `<g class="node …">` per box, one group frame per container shown open, functional
    /// steps lighter, a viewBox, nothing that runs or fetches.
    @Test func svgHasABoxPerLayerAndAFramePerGroup() throws {
        let graph = try Self.graph("specs/valid/nested.yaml")
        let svg = NetworkDiagram.svg(graph)
        #expect(try Self.elements(svg, "//*[local-name()='g'][contains(@class,'node')]").count == graph.nodes.count)
        #expect(try Self.elements(svg, "//*[local-name()='rect'][@class='group']").count == 3, "features, features.block, classifier")
        #expect(try Self.elements(svg, "//*[local-name()='g'][@class='node functional']").count == 3,
                "shortcut (torch.add), F.max_pool2d, torch.flatten")
        #expect(try Self.elements(svg, "/*/@viewBox").first?.stringValue?.hasPrefix("0 0 ") == true)
        #expect(!svg.contains("<script") && !svg.contains("@import") && !svg.contains("url(http"))
        let titles = try Self.elements(svg, "//*[local-name()='text'][@class='name']").map { $0.stringValue ?? "" }
        #expect(titles == graph.nodes.map(\.title))

        let file = NetworkDiagramFile.text(try validatedSpec(path: repositoryRoot.appendingPathComponent("specs/valid/nested.yaml").path), format: .svg)
        #expect(file.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- \(NetworkDiagramFile.marker) -->\n<svg "))
        _ = try XMLDocument(xmlString: file, options: [])
    }

    /// A skip's lane is never shared with another skip over the rows it spans (unless both leave
    /// the same box), so lines do not run into each other, and deep residual networks stay narrow.
    @Test(arguments: ["examples/resnet18.yaml", "examples/mobilenet_v2.yaml", "examples/resnet.yaml", "specs/valid/nested.yaml"])
    func skipLanesDoNotOverlap(specPath: String) throws {
        let graph = try Self.graph(specPath)
        let layout = NetworkDiagramLayout(graph)
        for (index, skip) in layout.skips.enumerated() {
            for other in layout.skips[..<index] where other.lane == skip.lane && other.from != skip.from {
                #expect(other.to < skip.from || skip.to < other.from, "\(specPath): skips \(other) and \(skip) share lane \(skip.lane)")
            }
        }
        #expect(layout.width < 800, "\(specPath): \(layout.width) wide")
        #expect(Set(layout.skips.map(\.lane)).count <= 3)
        for (node, box) in zip(graph.nodes, layout.boxes) {
            #expect(Double(node.title.count) * NetworkDiagramLayout.titleCharacterWidth + 20 <= box.width)
        }
    }

    /// Groups nest: each frame lies inside its parent's and holds its boxes.
    @Test func groupFramesNestAndHoldTheirBoxes() throws {
        let graph = try Self.graph("examples/mobilenet_v2.yaml")
        let layout = NetworkDiagramLayout(graph)
        func inside(_ inner: NetworkDiagramLayout.Frame, _ outer: NetworkDiagramLayout.Frame) -> Bool {
            inner.x >= outer.x && inner.right <= outer.right && inner.y >= outer.y && inner.bottom <= outer.bottom
        }
        for (index, group) in graph.groups.enumerated() {
            if let parent = group.parent { #expect(inside(layout.groups[index], layout.groups[parent]), "\(group.title)") }
        }
        for (index, node) in graph.nodes.enumerated() {
            for group in graph.chain(to: node.group) { #expect(inside(layout.boxes[index], layout.groups[group]), "\(node.title)") }
        }
        #expect(zip(layout.boxes, layout.boxes.dropFirst()).allSatisfy { $0.bottom < $1.y }, "one column, top to bottom")
    }

    /// Names are free text in the DOT and the SVG: quotes, backslashes and control characters escaped.
    @Test func textIsEscaped() throws {
        #expect(NetworkDOT.quoted("a \"b\" \\ c", "d\u{1b}\n\u{202E}") == #""a \"b\" \\ c\nd\\u{1b}\\u{a}\\u{202e}""#)
        let spec = try validatedSpec("""
            nnspec: 1
            name: "<Net> & \\"quoted\\" \\e"
            input: [N, 4]
            layers:
              - {name: fc, type: Linear, in_features: 4, out_features: 2}
            """)
        _ = try XMLDocument(xmlString: NetworkDiagramFile.text(spec, format: .svg), options: [])
        #expect(NetworkDiagramFile.text(spec, format: .dot).contains(#"digraph "<Net> & \"quoted\" \\u{1b}" {"#))
    }
}
