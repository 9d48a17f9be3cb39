/// Where `NetworkDiagram` draws a `NetworkGraph`, in SVG user units (pixels at scale 1): the boxes
/// in one column in forward order, each group a frame around its boxes with a header line above
/// them, an arrow straight down where a box reads the box above it, and every other input (a
/// `from:` skip or branch) as a line in a lane to the right of the column. Lanes are reused once
/// a skip has ended, and skips from the same box share one, so a deep residual network stays a
/// few lanes wide.
struct NetworkDiagramLayout {
    /// An axis-aligned rectangle.
    struct Frame {
        var x, y, width, height: Double
        var right: Double { x + width }
        var bottom: Double { y + height }
    }

    /// An input that is not the box just above: from box `from` to box `to`, down lane `lane`,
    /// arriving `arrival` units below the target box's top.
    struct Skip {
        var from, to, lane: Int
        var arrival: Double
    }

    static let margin = 12.0, boxHeight = 40.0, gap = 20.0, groupPadding = 10.0, headerHeight = 22.0
    static let laneSpacing = 14.0, firstLaneOffset = 18.0, departure = 13.0
    /// Rough glyph widths of the 13 px bold titles and 12 px details in a sans-serif font, generous
    /// so that text does not run past a box.
    static let titleCharacterWidth = 8.2, detailCharacterWidth = 7.0

    /// `boxes[i]` is node i's box; `groups[g]` is group g's frame (zero-sized when it holds no box).
    var boxes: [Frame] = []
    var groups: [Frame]
    /// Pairs (i - 1, i) drawn as a straight arrow.
    var straight: [Int] = []
    var skips: [Skip] = []
    var width = 0.0, height = 0.0
    /// The x of lane 0 (lane k is `laneSpacing` · k further right).
    var firstLaneX = 0.0

    init(_ graph: NetworkGraph) {
        groups = Array(repeating: Frame(x: 0, y: 0, width: 0, height: 0), count: graph.groups.count)
        let nesting = graph.groups.indices.map { graph.chain(to: $0).count }
        let deepest = nesting.max() ?? 0
        let boxX = Self.margin + Double(deepest) * Self.groupPadding
        let boxWidth = Self.boxWidth(graph)
        assignEdges(graph)
        let laneCount = (skips.map(\.lane).max() ?? -1) + 1
        firstLaneX = boxX + boxWidth + Self.firstLaneOffset
        let columnRight = laneCount == 0 ? boxX + boxWidth : firstLaneX + Double(laneCount - 1) * Self.laneSpacing + 8

        var y = Self.margin
        var open: [Int] = []
        func close() {
            let group = open.removeLast()
            y += Self.groupPadding - Self.gap
            let inset = Double(deepest - nesting[group] + 1) * Self.groupPadding
            groups[group] = Frame(x: boxX - inset, y: groups[group].y, width: columnRight - boxX + 2 * inset,
                                  height: y - groups[group].y)
            y += Self.gap
        }
        for node in graph.nodes {
            let chain = graph.chain(to: node.group)
            while let last = open.last, !chain.contains(last) { close() }
            for group in chain where !open.contains(group) {
                open.append(group)
                groups[group].y = y
                y += Self.headerHeight
            }
            boxes.append(Frame(x: boxX, y: y, width: boxWidth, height: Self.boxHeight))
            y += Self.boxHeight + Self.gap
        }
        while !open.isEmpty { close() }
        width = columnRight + Double(deepest) * Self.groupPadding + Self.margin
        height = y - Self.gap + Self.margin
    }

    /// Wide enough for every box's title and detail, and every group's header (which has at least
    /// one padding more on each side).
    private static func boxWidth(_ graph: NetworkGraph) -> Double {
        let boxText = graph.nodes.map {
            max(Double($0.title.count) * titleCharacterWidth, Double($0.detail.count) * detailCharacterWidth) + 20
        }
        let headers = graph.groups.map {
            Double($0.title.count) * titleCharacterWidth + Double($0.detail.count + 3) * detailCharacterWidth
        }
        return (boxText + headers + [260]).max()!
    }

    /// Sorts every input into a straight arrow or a skip, and gives each skip a lane: the first
    /// one free from its source's row on, or the one already leaving from the same box.
    private mutating func assignEdges(_ graph: NetworkGraph) {
        var lanes: [(source: Int, end: Int)] = []
        for (target, node) in graph.nodes.enumerated() {
            let skipped = node.inputs.filter { $0 != target - 1 }
            if skipped.count < node.inputs.count { straight.append(target) }
            for (order, source) in skipped.enumerated() {
                let lane = lanes.firstIndex { $0.source == source || $0.end < source } ?? lanes.count
                if lane == lanes.count { lanes.append((source, target)) }
                else if lanes[lane].source == source { lanes[lane].end = max(lanes[lane].end, target) }
                else { lanes[lane] = (source, target) }
                let spread = Double(order) - Double(skipped.count - 1) / 2
                skips.append(Skip(from: source, to: target, lane: lane, arrival: Self.boxHeight * 0.7 + spread * 6))
            }
        }
    }
}
