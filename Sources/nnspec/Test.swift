import ArgumentParser
import Foundation
import NNRun

/// `nnspec test PATH...`: every spec below the paths against its `expect:` block or its
/// `# expect-error:` annotations; one line per spec, then "N passed, N failed". Exit 0 when all pass.
struct Test: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run specs as regression tests: expect: blocks, # expect-error: annotations and goldens.")

    @Argument(help: "Spec files, or folders searched for .yaml/.yml specs.", completion: .spec)
    var paths: [String]

    @Option(help: "Results as 'text' or 'json'.")
    var format: OutputOptions.Format = .text

    @Option(help: "Only specs whose path matches this regular expression.")
    var filter: String?

    @Option(help: "Specs tested in parallel (the output order stays the same).")
    var jobs: Int = 1

    @Option(help: ArgumentHelp("Also write the results as JUnit XML here (replacing only a report nnspec wrote).", valueName: "file.xml"), completion: .file(extensions: ["xml"]))
    var junit: String?

    @Flag(help: "Record missing golden files and rewrite those the run no longer matches.")
    var update = false

    @Flag(help: "Check only what needs no training: annotations, parameters, output, named_parameters.")
    var noTrain = false

    @OptionGroup var access: FileAccessOptions

    @Flag(help: .hidden)
    var child = false

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1, not \(jobs)") }
        if update, noTrain { throw ValidationError("--update records goldens from training runs; it cannot go with --no-train") }
        if child, paths.count != 1 { throw ValidationError("--child tests exactly one spec") }
        if let filter {
            do {
                _ = try Regex(filter)
            } catch {
                throw ValidationError("--filter '\(filter)' is not a regular expression: \(error)")
            }
        }
    }

    func run() throws {
        let console = Console.standard()
        var runner = RegressionRunner(trainer: noTrain ? nil : StandardSpecTrainer(), updatesGoldens: update, fileAccess: access.fileAccess)
        if child {
            console.output(String(decoding: try JSONEncoder().encode(runner.test(specAt: paths[0])), as: UTF8.self))
            return
        }
        runner.childProcess = Bundle.main.executablePath.map { executable in
            ChildSpecProcess(executable: executable, arguments: ["test", "--child"] + (noTrain ? ["--no-train"] : [])
                + (update ? ["--update"] : []) + (access.allowOutside ? ["--allow-outside"] : []))
        }
        if let junit {
            do {
                try GeneratedFile.checkWritable(junit, marker: JUnitReport.marker)
            } catch {
                console.error("error: --junit \(error)\n")
                throw ExitCode(1)
            }
        }
        let specs: [String]
        do {
            specs = try SpecDiscovery.specFiles(under: paths, matching: try filter.map { try Regex($0) })
        } catch {
            console.error("error: \(error)\n")
            throw ExitCode(1)
        }
        if specs.isEmpty {
            console.error("error: no spec found below \(paths.joined(separator: ", "))\(filter.map { " matching \($0)" } ?? "")\n")
        }
        let format = format
        let results = runner.test(specsAt: specs, jobs: jobs) { result in
            if format == .text { console.output(RegressionReport.text(result)) }
        }
        console.output(format == .json ? RegressionReport.json(results) : RegressionReport.summary(results))
        if let junit {
            do {
                try GeneratedFile.write(JUnitReport.xml(results), to: junit, marker: JUnitReport.marker)
            } catch {
                console.error("error: --junit \(error)\n")
                throw ExitCode(1)
            }
        }
        if specs.isEmpty || results.contains(where: { !$0.passed }) { throw ExitCode(1) }
    }
}
