import NNData
import NNSpec

/// `nnspec sample SPEC --weights W`, in process: validate, load the weights and their vocabulary,
/// and print `count` samples of a next-character model (`TextSampler`), one per line, or as JSON
/// `{"format": "nnspec.sample/1", "nnspec_version", "spec", "weights", "temperature", "seed",
/// "samples": […]}`. Exit status 0 when done, 1 for any error.
public enum SampleSession {
    public static func run(file: String, options: SampleOptions, json: Bool, fileAccess: SpecFileAccess, console: Console) -> Int32 {
        let validation = SpecValidator.standard.validate(file: file, fileAccess: fileAccess, reportingTo: console)
        guard let spec = validation.spec else { return 1 }
        do {
            let samples = try TextSampler(spec: spec, weights: options.weights).samples(options)
            console.output(json ? document(file: file, options: options, samples: samples) : samples.map { VisibleText.escaped($0) + "\n" }.joined())
            return 0
        } catch {
            console.error("error: \(VisibleText.escaped(String(describing: error)))\n")
            return 1
        }
    }

    private static func document(file: String, options: SampleOptions, samples: [String]) -> String {
        JSONValue.object([
            ("format", .string(JSONFormat.identifier("sample"))), ("nnspec_version", .string(ToolVersion.current)),
            ("spec", .string(file)), ("weights", .string(options.weights)), ("temperature", .number(options.temperature)),
            ("seed", .integer(Int(clamping: options.seed))), ("samples", .array(samples.map(JSONValue.string))),
        ]).rendered() + "\n"
    }
}
