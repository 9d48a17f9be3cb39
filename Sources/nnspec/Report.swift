import ArgumentParser
import NNRun

/// `nnspec report LOG.csv --output DIR`: redraws a run's HTML report from its log.
struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Draw a run's HTML report again from its --log CSV (and run.json, when beside it).",
        discussion: """
            Writes DIR/index.html: the loss, accuracy and learning-rate curves of the log, and, from \
            run.json (written by train --report, or given with --run), the settings, timings and \
            confusion matrix; the network's table and diagram from --spec or the spec run.json names. \
            An index.html that nnspec did not write is replaced only with --force.

            Exit status: 0 written, 1 a log, run.json or spec that cannot be read, or a directory \
            that cannot be written.
            """)

    @Argument(help: ArgumentHelp("The log (train --log, or DIR/log.csv of train --report).", valueName: "log.csv"))
    var log: String

    @Option(name: .shortAndLong, help: ArgumentHelp("The directory to write index.html into.", valueName: "dir"))
    var output: String

    @Option(help: ArgumentHelp("The spec, for the network's table and diagram (default: the one run.json names).", valueName: "spec.yaml"))
    var spec: String?

    @Option(name: .customLong("run"), help: ArgumentHelp("The run's facts (default: run.json beside the log).", valueName: "run.json"))
    var facts: String?

    @Option(help: "The loss and learning-rate axis: 'auto' (logarithmic when the values span two decades), 'linear' or 'log'.")
    var lossScale: LossScale = .auto

    @Flag(help: "Replace an index.html that nnspec did not write (never a link, FIFO or device).")
    var force = false

    @OptionGroup var access: FileAccessOptions

    @OptionGroup var colors: ColorOptions

    func run() throws {
        var request = ReportRedraw.Request(log: log, output: output)
        request.spec = spec
        request.facts = facts
        request.force = force
        request.lossScale = lossScale
        request.fileAccess = access.fileAccess
        let console = colors.console
        do {
            console.output("report written to \(try ReportRedraw.run(request))\n")
        } catch {
            console.error("error: \(error)\n")
            throw ExitCode(1)
        }
    }
}

extension LossScale: ExpressibleByArgument {}
