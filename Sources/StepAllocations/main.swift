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

// StepAllocations SPEC [--batch-sizes 1,64] [--threads 1] [--steps 20] [--warmup-steps 5] [--planned-only]
//
// Counts the heap allocations of steady-state training steps of SPEC's network (the step of
// `nnspec bench`: zeroGrad, forward, CrossEntropyLoss, backward, SGD momentum), planned and through
// autograd (not with --planned-only: autograd's warm-up never finds 10 quiet steps and runs 500),
// per batch size. It links CAllocationCounter, which replaces malloc and its relatives in
// this process only; where that is unavailable (off Linux/glibc) it says so and exits with 0.
// Prints one line per batch size and path:
//   batch 64, 2 thread(s), planned: 0 allocations in 20 steps (0.0 per step)

var options = (file: "", batchSizes: [1, 64], threads: 1, steps: 20, warmupSteps: 5, paths: [true, false])
var arguments = CommandLine.arguments.dropFirst()
func usage(_ problem: String) -> Never {
    print("StepAllocations: \(problem)\nusage: StepAllocations SPEC [--batch-sizes 1,64] [--threads N] [--steps N] [--warmup-steps N] [--planned-only]")
    exit(2)
}
while let argument = arguments.popFirst() {
    guard argument.hasPrefix("--") else { options.file = argument; continue }
    if argument == "--planned-only" { options.paths = [true]; continue }
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
for batch in options.batchSizes {
    for planned in options.paths {
        let step = try BenchmarkStep(spec: spec, batch: batch, planned: planned)
        if planned, let refusal = step.planRefusal { print("batch \(batch): no training plan: \(refusal)") }
        // Steady state: the scratch pools hold every buffer the threads take. A worker that the
        // system did not schedule during the first steps (on a loaded machine) takes its own buffers
        // the first time it runs a part, so warming up also waits for 10 allocation-free steps in a
        // row (at most 500 steps).
        for _ in 0..<options.warmupSteps { try step.run() }
        var quietSteps = 0, warmupLimit = 500
        while quietSteps < 10 && warmupLimit > 0 {
            let start = allocation_counter_count()
            try step.run()
            quietSteps = allocation_counter_count() == start ? quietSteps + 1 : 0
            warmupLimit -= 1
        }
        let before = allocation_counter_count()
        for _ in 0..<options.steps { try step.run() }
        let allocations = allocation_counter_count() - before
        let path = step.plan == nil ? "autograd" : "planned"
        let perStep = Double(allocations) / Double(options.steps)
        print("batch \(batch), \(options.threads) thread(s), \(path): \(allocations) allocations in \(options.steps) steps (\(perStep) per step)")
    }
}
