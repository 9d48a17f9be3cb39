import Testing

/// A steady-state training step of examples/lenet.yaml (the planned step, zeroGrad and SGD with
/// momentum) allocates no heap memory: `StepAllocations` counts every malloc of its process (its
/// own process, since the tests of this one run in parallel) over 20 steps after warming up (20 steps,
/// then until 10 in a row allocate nothing: the worker threads' scratch buffers at their steady count
/// and sizes).
@Suite struct StepAllocationTests {
    /// The counts `StepAllocations` printed, by path ("planned", "autograd") and batch size.
    func allocationsPerStep(threads: Int) throws -> [String: [Int: Int]]? {
        let run = try NNSpecBinary.run(["examples/lenet.yaml", "--batch-sizes", "1,64", "--threads", String(threads), "--steps", "20", "--warmup-steps", "20"],
                                       executable: "StepAllocations")
        #expect(run.status == 0, "\(run.standardOutput)\(run.standardError)")
        guard !run.standardOutput.contains("nothing counted") else { return nil }
        var counts: [String: [Int: Int]] = [:]
        // batch 64, 2 thread(s), planned: 0 allocations in 20 steps (0.0 per step)
        for line in run.standardOutput.split(separator: "\n") {
            let words = line.split(separator: " ")
            guard words.count > 6, words[0] == "batch", let batch = Int(words[1].dropLast()), let total = Int(words[5]) else { continue }
            counts[String(words[4].dropLast()), default: [:]][batch] = total
        }
        return counts
    }

    @Test func plannedStepAllocatesNothingWithOneThread() throws {
        guard let counts = try allocationsPerStep(threads: 1) else {
            print("StepAllocations counts allocations on Linux with glibc only; skipped")
            return
        }
        #expect(counts["planned"] == [1: 0, 64: 0])
        // The autograd step builds its graph every step: the counter sees it.
        #expect(counts["autograd"]?.values.allSatisfy { $0 >= 20 } == true)
    }

    /// `spec`'s planned step allocates nothing at batch sizes `batches` with two threads, over 10 steps
    /// after warming up; the autograd step is not run (its warm-up never turns quiet: 500 steps).
    func expectPlannedStepAllocatesNothing(_ spec: String, batches: [Int], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let run = try NNSpecBinary.run([spec, "--batch-sizes", batches.map(String.init).joined(separator: ","), "--threads", "2",
                                        "--steps", "10", "--warmup-steps", "10", "--planned-only"], executable: "StepAllocations")
        #expect(run.status == 0, "\(run.standardOutput)\(run.standardError)", sourceLocation: sourceLocation)
        guard !run.standardOutput.contains("nothing counted") else {
            print("StepAllocations counts allocations on Linux with glibc only; skipped")
            return
        }
        for batch in batches {
            #expect(run.standardOutput.contains("batch \(batch), 2 thread(s), planned: 0 allocations in 10 steps"), "\(run.standardOutput)",
                    sourceLocation: sourceLocation)
        }
    }

    /// The forward pass `nnspec predict` runs, planned from a shape's second batch, allocates its
    /// output tensor alone (its storage and its scalars' array): the ResNet example (Add joins, the
    /// stride-1 convolutions split over the threads at batch 1) and the names transformer.
    @Test(arguments: ["examples/resnet.yaml", "examples/names-transformer.yaml"])
    func plannedForwardPassAllocatesItsOutputAlone(spec: String) throws {
        let run = try NNSpecBinary.run([spec, "--batch-sizes", "1,4", "--threads", "2", "--steps", "10", "--warmup-steps", "5", "--inference"],
                                       executable: "StepAllocations")
        #expect(run.status == 0, "\(run.standardOutput)\(run.standardError)")
        guard !run.standardOutput.contains("nothing counted") else {
            print("StepAllocations counts allocations on Linux with glibc only; skipped")
            return
        }
        for batch in [1, 4] {
            #expect(run.standardOutput.contains("batch \(batch), 2 thread(s), inference (planned): 20 allocations in 10 passes"),
                    "\(run.standardOutput)")
        }
    }

    /// examples/resnet.yaml's planned step (Add joins, fan-out, AdaptiveAvgPool2d).
    @Test func plannedResidualStepAllocatesNothing() throws {
        try expectPlannedStepAllocatesNothing("examples/resnet.yaml", batches: [1, 8])
    }

    /// examples/autoencoder.yaml's planned step (ConvTranspose2d, MSELoss against the input).
    @Test func plannedAutoencoderStepAllocatesNothing() throws {
        try expectPlannedStepAllocatesNothing("examples/autoencoder.yaml", batches: [1, 8])
    }

    /// The M5 signal network's planned step (Conv1d, BatchNorm1d, MaxPool1d, AdaptiveAvgPool1d).
    @Test func plannedSignalStepAllocatesNothing() throws {
        try expectPlannedStepAllocatesNothing("specs/parity/m5-signals.yaml", batches: [1, 8])
    }

    /// examples/names-lstm.yaml's planned step (Embedding, a batch-first LSTM, a Linear on [N, T, F],
    /// the transpose and the per-position CrossEntropyLoss).
    @Test func plannedSequenceStepAllocatesNothing() throws {
        try expectPlannedStepAllocatesNothing("examples/names-lstm.yaml", batches: [1, 64])
    }

    /// examples/names-transformer.yaml's planned step (learned positions, two causal pre-norm
    /// TransformerEncoderLayers with dropout, LayerNorm, the per-position CrossEntropyLoss).
    @Test func plannedTransformerStepAllocatesNothing() throws {
        try expectPlannedStepAllocatesNothing("examples/names-transformer.yaml", batches: [16, 64])
    }

    @Test func plannedStepAllocatesNothingWithTwoThreads() throws {
        guard let counts = try allocationsPerStep(threads: 2) else {
            print("StepAllocations counts allocations on Linux with glibc only; skipped")
            return
        }
        #expect(counts["planned"] == [1: 0, 64: 0])
    }
}
