import NN
import NNCatalogue
import NNRun
import NNSpec
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// ConsumerCheck SPEC
//
// What a package of its own does with nnspec's products: validates SPEC (exit 1 with the
// diagnostics when it is invalid), prints its network as PyTorch prints it and its parameter
// count, then runs one SGD step on a random batch of 2 and prints the loss.

guard CommandLine.arguments.count == 2 else {
    print("usage: ConsumerCheck SPEC")
    exit(2)
}
let result = SpecValidator.standard.validate(file: CommandLine.arguments[1])
guard let spec = result.spec else {
    print(result.file + ": invalid")
    print(DiagnosticTextRenderer(colored: false).render(result.diagnostics, source: result.source), terminator: "")
    exit(1)
}
do {
    let step = try BenchmarkStep(spec: spec, batch: 2)
    let network: Module = step.network
    let parameterCount = network.namedParameters().reduce(0) { $0 + $1.parameter.value.shape.reduce(1, *) }
    print(network)
    print("\(parameterCount) parameters")
    print("loss after one step: \(try step.run())")
} catch {
    print("\(result.file): \(error)")
    exit(1)
}
