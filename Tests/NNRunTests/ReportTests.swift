import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import NNRun

/// `--report DIR` and `nnspec report`: the axes, the curves, the page and its files.
@Suite struct ReportTests {
    @Test func linearTicksAreNiceNumbers() {
        let axis = AxisScale.linear(covering: [0.137, 2.31])
        #expect(axis.ticks == [0, 0.5, 1, 1.5, 2, 2.5])
        #expect(axis.ticks.map(axis.label) == ["0.0", "0.5", "1.0", "1.5", "2.0", "2.5"])
        let steps = AxisScale.linear(covering: [1, 450], tickCount: 6)
        #expect(steps.ticks == [0, 100, 200, 300, 400, 500])
        // One value (a one-step run) still gets a range around it.
        let single = AxisScale.linear(covering: [1])
        #expect(single.lower < 1 && single.upper > 1)
        // A one-step run: the step axis 0, 1, 2; a float32 loss and its float64 mean are one value.
        #expect(AxisScale.linear(covering: [1], tickCount: 6, wholeNumbers: true).ticks == [0, 1, 2])
        let nearlyOne = AxisScale.linear(covering: [0.7867137, 0.78671371936798096])
        #expect(nearlyOne.lower < 0.5 && nearlyOne.upper > 1.1 && nearlyOne.ticks.map(nearlyOne.label).allSatisfy { $0.count <= 4 })
        #expect(AxisScale.linear(covering: [.nan, .infinity]).ticks.count > 1)
    }

    @Test func logarithmicTicksArePowersOfTen() throws {
        let axis = try #require(AxisScale.logarithmic(covering: [0.0031, 2.4, .nan, -1]))
        #expect(axis.ticks == [0.001, 0.01, 0.1, 1, 10])
        #expect(axis.ticks.map(axis.label) == ["0.001", "0.01", "0.1", "1", "10"])
        #expect(AxisScale.logarithmic(covering: [0, -2]) == nil)
        // A diverging loss: 38 decades get a tick every 10, not 38 overlapping labels.
        let diverging = try #require(AxisScale.logarithmic(covering: [2.3, 1.5e37]))
        #expect(diverging.ticks.map(diverging.label) == ["1", "1e10", "1e20", "1e30", "1e40"])
        #expect(LossScale.auto.isLogarithmic([2.3, 0.01]))
        #expect(!LossScale.auto.isLogarithmic([2.3, 0.1]))
    }

    /// NaN and infinite values break the curve and are counted in a note; one point is a marker.
    @Test func nonFiniteValuesAreGapsWithANote() throws {
        let chart = LineChart(title: "Loss", xLabel: "step", yLabel: "loss", series: [
            .init(name: "loss", color: "#000", points: [(1, 2), (2, 1.5), (3, .nan), (4, 1), (5, .infinity), (6, 0.5), (7, 0.4)]),
        ])
        let svg = chart.svg()
        #expect(svg.components(separatedBy: "<polyline").count - 1 == 2, "two segments of two or more points")
        #expect(svg.components(separatedBy: "<circle").count - 1 == 1, "the lone point between the gaps")
        #expect(svg.contains("2 values NaN or infinite: gaps in the curve"))
        try expectWellFormed(svg)
        let single = LineChart(title: "one step", xLabel: "step", yLabel: "loss",
                               series: [.init(name: "loss", color: "#000", points: [(1, 2.3)])]).svg()
        #expect(single.contains("<circle") && !single.contains("<polyline"))
    }

    @Test func longCurvesAreThinnedKeepingGaps() {
        let points = (1 ... 4000).map { (x: Double($0), y: $0 == 2001 ? Double.nan : 1) }
        let thinned = CurveThinning.thinned(points, limit: 1000)
        #expect(thinned.stride == 4 && thinned.points.count == 1000)
        #expect(thinned.points.filter { $0.y.isNaN }.count == 1)
        #expect(CurveThinning.thinned(Array(points.prefix(10))).stride == 1)
    }

    @Test func logOfEitherFormatIsRead() throws {
        let current = try RunHistory.parse(csv: """
            step,epoch,loss,lr,test_loss,test_accuracy,train_loss,wall_time
            1,1,2.5,0.01,,,,
            2,1,nan,0.01,,,,
            2,1,,,0.4,0.9,1.5,1700000000.25

            """, file: "run.csv")
        #expect(current.steps.count == 2 && current.steps[1].loss.isNaN)
        #expect(current.epochs == [RunHistory.Epoch(step: 2, epoch: 1, trainLoss: 1.5, testLoss: 0.4, testAccuracy: 0.9, wallTime: 1_700_000_000.25)])
        let first = try RunHistory.parse(csv: "step,epoch,loss,lr,test_loss,test_accuracy\n1,1,2.5,0.01,,\n1,1,,,0.4,\n", file: "old.csv")
        #expect(first.epochs == [RunHistory.Epoch(step: 1, epoch: 1, trainLoss: nil, testLoss: 0.4, testAccuracy: nil, wallTime: nil)])
    }

    @Test(arguments: [
        ("x,y\n", "bad.csv:1:1: not an nnspec training log"),
        ("step,epoch,loss,lr,test_loss,test_accuracy\n1,1,2.5,0.01,,\n2,1,abc,0.01,,\n", "bad.csv:3:5: 'abc' is not a number"),
        ("step,epoch,loss,lr,test_loss,test_accuracy\n1,1,2.5\n", "bad.csv:2:1: a row has 3 columns"),
        ("step,epoch,loss,lr,test_loss,test_accuracy\n1.5,1,2.5,0.01,,\n", "bad.csv:2:1: the step and epoch must be whole numbers"),
    ])
    func malformedLogIsAnErrorAtItsLineAndColumn(text: String, message: String) {
        #expect(throws: ReportError.self) { try RunHistory.parse(csv: text, file: "bad.csv") }
        do {
            _ = try RunHistory.parse(csv: text, file: "bad.csv")
        } catch {
            #expect(error.description.hasPrefix(message), "\(error)")
        }
    }

    /// The whole page from a training run: curves, settings, timings, network, confusion matrix; the
    /// SVG parts well-formed XML; nothing fetched or run.
    @Test func trainingReportHoldsEverySection() throws {
        let (scratch, spec) = try scratchWithSmallSpec()
        let directory = scratch.path("report")
        let run = runTrain(spec) { $0.reportDirectory = directory; $0.quiet = true }
        #expect(run.status == 0, "\(run.error)")
        let html = try String(contentsOfFile: "\(directory)/index.html", encoding: .utf8)
        for text in ["<h1>Small</h1>", ">Loss</text>", ">Test accuracy</text>", ">Learning rate</text>", "train loss, epoch mean",
                     "<h2>Settings</h2>", "Adam(lr=0.01", "StepLR(step_size=1, gamma=0.5", "<h2>Timings</h2>", "images/s",
                     "<h2>Network</h2>", "fc1 (Linear)", "<h2>Confusion matrix of the test split</h2>", "of 20 test samples"] {
            #expect(html.contains(text), "\(text)")
        }
        #expect(html.components(separatedBy: "<polyline").count - 1 >= 3, "loss, test loss, lr curves")
        try expectSelfContained(html)
        let facts = try RunFacts.read(Data(contentsOf: URL(fileURLWithPath: "\(directory)/run.json")), file: "run.json")
        #expect(facts.final.step == 24 && facts.spec == spec && facts.confusionMatrix?.count == 3)
        #expect(facts.confusionMatrix?.joined().reduce(0, +) == 20)
        let history = try RunHistory.parse(csv: String(contentsOfFile: "\(directory)/log.csv", encoding: .utf8), file: "log.csv")
        #expect(history.steps.count == 24 && history.epochs.count == 3 && history.epochs.allSatisfy { $0.wallTime != nil })
    }

    /// `nnspec report LOG --output DIR` draws the same sections again from the log and run.json.
    @Test func reportIsRedrawnFromTheLog() throws {
        let (scratch, spec) = try scratchWithSmallSpec()
        let first = scratch.path("report")
        #expect(runTrain(spec) { $0.reportDirectory = first; $0.quiet = true }.status == 0)
        let redrawn = try ReportRedraw.run(ReportRedraw.Request(log: "\(first)/log.csv", output: scratch.path("again")))
        let html = try String(contentsOfFile: redrawn, encoding: .utf8)
        for text in ["<h2>Settings</h2>", "<h2>Network</h2>", "<h2>Confusion matrix of the test split</h2>", ">Loss</text>"] {
            #expect(html.contains(text), "\(text)")
        }
        // A log alone (no run.json beside it) still gives the curves, and says what is missing.
        let lone = try scratch.write(try String(contentsOfFile: "\(first)/log.csv", encoding: .utf8), to: "lone.csv")
        var request = ReportRedraw.Request(log: lone, output: scratch.path("lone"))
        request.lossScale = .log
        let page = try String(contentsOfFile: try ReportRedraw.run(request), encoding: .utf8)
        #expect(page.contains(">Loss</text>") && page.contains("logarithmic scale") && page.contains("No run.json beside the log"))
        try expectSelfContained(page)
    }

    /// A file of the report that nnspec did not write is kept, and the run refused before training,
    /// unless `--force`; the report's own files are replaced by the next run.
    @Test func foreignFilesAreReplacedOnlyWithForce() throws {
        let (scratch, spec) = try scratchWithSmallSpec()
        let directory = scratch.path("report")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        let page = "\(directory)/index.html"
        try Data("<html>my page</html>".utf8).write(to: URL(fileURLWithPath: page))
        let refused = runTrain(spec) { $0.reportDirectory = directory; $0.quiet = true }
        #expect(refused.status == 1)
        #expect(refused.error.contains("--report \(directory): \(page) exists and nnspec did not write it; pass --force to replace it"))
        #expect(!refused.output.contains("final loss"), "refused before training")
        #expect(try String(contentsOfFile: page, encoding: .utf8) == "<html>my page</html>")
        #expect(throws: ReportError.self) {
            try ReportRedraw.run(ReportRedraw.Request(log: spec, output: directory))
        }
        #expect(runTrain(spec) { $0.reportDirectory = directory; $0.quiet = true; $0.force = true }.status == 0)
        #expect(try String(contentsOfFile: page, encoding: .utf8).contains(RunReport.generatorMark))
        #expect(runTrain(spec) { $0.reportDirectory = directory; $0.quiet = true }.status == 0, "its own files are replaced")
    }

    /// A run stopped by a NaN loss still leaves the report of its steps, the error at the top.
    @Test func stoppedRunLeavesAReportWithItsError() throws {
        let scratch = try ScratchDirectory()
        let spec = try scratch.write("""
            nnspec: 1
            name: "<Diverging & co>"
            input: [N, 12]
            layers:
              - {name: fc1, type: Linear, in_features: 12, out_features: 16}
              - {name: fc2, type: Linear, in_features: 16, out_features: 3}
            loss: CrossEntropyLoss
            optimizer: {type: SGD, lr: 1.0e+30}
            data:
              batch_size: 4
              train: {source: random, samples: 16, classes: 3}
            """, to: "diverge.yaml")
        let directory = scratch.path("report")
        let run = runTrain(spec) { $0.reportDirectory = directory; $0.quiet = true }
        #expect(run.status == 1)
        let html = try String(contentsOfFile: "\(directory)/index.html", encoding: .utf8)
        #expect(html.contains("<h1>&lt;Diverging &amp; co&gt;</h1>"), "the spec's name is escaped")
        #expect(html.contains("The run stopped: the loss became NaN at step 2"))
        let facts = try RunFacts.read(Data(contentsOf: URL(fileURLWithPath: "\(directory)/run.json")), file: "run.json")
        #expect(facts.final.step == 1 && facts.error?.contains("NaN") == true && facts.confusionMatrix == nil)
        try expectSelfContained(html)
    }

    /// Ctrl-C before the first step: exit 130 and a report that says nothing was trained.
    @Test func interruptedRunLeavesAReport() throws {
        let (scratch, spec) = try scratchWithSmallSpec()
        var options = TrainingOptions()
        options.reportDirectory = scratch.path("report")
        options.quiet = true
        let interruption = InterruptFlag()
        interruption.raise()
        let status = TrainingSession.run(file: spec, options: options, console: CapturedConsole().console(), interruption: interruption)
        #expect(status == TrainingSession.interruptedStatus)
        let html = try String(contentsOfFile: scratch.path("report/index.html"), encoding: .utf8)
        #expect(html.contains("The log has no rows: nothing was trained.") && html.contains("step 0 of 24"))
    }

    /// Every `<svg>…</svg>` of `html` parses as XML, and the page neither runs nor fetches anything.
    private func expectSelfContained(_ html: String) throws {
        #expect(!html.contains("<script") && !html.contains("<link") && !html.contains("url(http") && !html.contains("src="))
        #expect(!html.replacingOccurrences(of: "xmlns=\"http://www.w3.org/2000/svg\"", with: "").contains("http"))
        var rest = html[...]
        while let start = rest.range(of: "<svg"), let end = rest.range(of: "</svg>", range: start.upperBound ..< rest.endIndex) {
            try expectWellFormed(String(rest[start.lowerBound ..< end.upperBound]))
            rest = rest[end.upperBound...]
        }
    }

    private func expectWellFormed(_ xml: String) throws {
        let parser = XMLParser(data: Data(xml.utf8))
        #expect(parser.parse(), "not well-formed: \(parser.parserError.map { "\($0)" } ?? "") in \(xml.prefix(200))")
    }
}
