import CAllocationCounter
import NNCatalogue
import NNRun
import NNSpec
import NNTensor
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// StepAllocations SPEC [--batch-sizes 1,64] [--threads 1] [--steps 20] [--warmup-steps 5] [--planned-only | --inference]
//
// Counts the heap allocations of steady-state training steps of SPEC's network (the step of
// `nnspec bench`: zeroGrad, forward, CrossEntropyLoss, backward, SGD momentum), planned and through
// autograd (not with --planned-only: autograd's warm-up never finds 10 quiet steps and runs 500),
// per batch size; with --inference, of the forward passes `nnspec predict` runs (`Predictor`,
// planned from a shape's second batch), whose output tensor is the only allocation to expect. It links CAllocationCounter, which replaces malloc and its relatives in
// this process only; where that is unavailable (off Linux/glibc) it says so and exits with 0.
// Prints one line per batch size and path:
//   batch 64, 2 thread(s), planned: 0 allocations in 20 steps (0.0 per step)
//   batch 1, 2 thread(s), inference (planned): 20 allocations in 20 passes (1.0 per pass)

var options = (file: "", batchSizes: [1, 64], threads: 1, steps: 20, warmupSteps: 5, paths: [true, false], inference: false)
var arguments = CommandLine.arguments.dropFirst()
func usage(_ problem: String) -> Never {
    print("StepAllocations: \(problem)\nusage: StepAllocations SPEC [--batch-sizes 1,64] [--threads N] [--steps N] [--warmup-steps N] [--planned-only | --inference]")
    exit(2)
}
while let argument = arguments.popFirst() {
    guard argument.hasPrefix("--") else { options.file = argument; continue }
    if argument == "--planned-only" { options.paths = [true]; continue }
    if argument == "--inference" { options.inference = true; continue }
    guard let value = arguments.popFirst() else { usage("\(argument) needs a value") }
    let numbers = value.split(separator: ",").compactMap { Int($0) }
    guard !numbers.isEmpty, numbers.allSatisfy({ $0 > 0 }) else { usage("\(argument) needs positive integers, got '\(value)'") }
    switch argument {
    case "--batch-sizes": options.batchSizes = numbers
    case "--threads": options.threads = numbers[0]
    case "--steps": options.steps = numbers[0]
    case "--warmup-steps": options.warmupSteps = numbers[0]
    default: usage("unknown option \(argument)")
    }
}
guard !options.file.isEmpty else { usage("no spec file given") }
guard allocation_counter_is_active() != 0 else {
    print("StepAllocations: allocation counting needs Linux with glibc; nothing counted")
    exit(0)
}
let result = SpecValidator.standard.validate(file: options.file)
guard let spec = result.spec else { usage("\(options.file) is not a valid spec") }
WorkerPool.shared.threadCount = options.threads

/// The allocations of `options.steps` runs of `run` after warming up: `options.warmupSteps` runs,
/// then until the allocations of 10 runs in a row are the same (at most 500 runs). Steady state: the
/// scratch pools hold every buffer the threads take; a worker that the system did not schedule during
/// the first runs (on a loaded machine) takes its own buffers the first time it runs a part.
@MainActor
func steadyAllocations(_ run: () throws -> Void) throws -> UInt64 {
    for _ in 0..<options.warmupSteps { try run() }
    var quietRuns = 0, warmupLimit = 500, last = UInt64.max
    while quietRuns < 10 && warmupLimit > 0 {
        let start = allocation_counter_count()
        try run()
        let count = allocation_counter_count() - start
        quietRuns = count == last ? quietRuns + 1 : 0
        last = count
        warmupLimit -= 1
    }
    let before = allocation_counter_count()
    for _ in 0..<options.steps { try run() }
    return allocation_counter_count() - before
}

// A step or pass that throws (BatchNorm1d over one sample in training mode, say) ends the run with
// its message and status 1.
do {
    for batch in options.batchSizes {
        if options.inference {
            var generator = RandomGenerator(seed: 0)
            let predictor = Predictor(spec: spec, network: try NetworkBuilder.build(spec, generator: &generator))
            let input = BenchmarkStep.randomInput(spec: spec, batch: batch, generator: &generator)
            let allocations = try steadyAllocations { _ = try predictor.outputs(input) }
            let path = (predictor.execution(of: input.shape) ?? .seenOnce).summary
            let perPass = Double(allocations) / Double(options.steps)
            print("batch \(batch), \(options.threads) thread(s), inference (\(path)): \(allocations) allocations in \(options.steps) passes (\(perPass) per pass)")
            continue
        }
        for planned in options.paths {
            let step = try BenchmarkStep(spec: spec, batch: batch, planned: planned)
            if planned, let refusal = step.planRefusal { print("batch \(batch): no training plan: \(refusal)") }
            let allocations = try steadyAllocations { try step.run() }
            let path = step.plan == nil ? "autograd" : "planned"
            let perStep = Double(allocations) / Double(options.steps)
            print("batch \(batch), \(options.threads) thread(s), \(path): \(allocations) allocations in \(options.steps) steps (\(perStep) per step)")
        }
    }
} catch {
    print("StepAllocations: \(error)")
    exit(1)
}
