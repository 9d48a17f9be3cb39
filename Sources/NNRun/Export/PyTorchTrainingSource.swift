import Foundation
import NNCatalogue
import NNSpec

/// `train.py` of a spec: its settings (data block, train block, loss, optimizer, scheduler) as
/// Python, followed by `PyTorchTrainingRuntime`. Data paths are written relative to the output
/// directory, where train.py looks for them.
struct PyTorchTrainingSource {
    let spec: ValidatedSpec
    /// The spec file, for messages.
    let file: String
    /// The absolute directory train.py is written to.
    let directory: String

    /// The script; throws when the spec has no training data, loss or optimizer, or names a
    /// component type without a PyTorch mapping.
    func render() throws(ExportError) -> String {
        guard let data = spec.data, let train = data.train, let loss = spec.loss, let optimizer = spec.optimizer else {
            throw ExportError(file: file, "train.py needs the spec's data: train:, loss: and optimizer:")
        }
        guard loss.arguments.text("reduction") != "none" else {
            throw ExportError(file: file, "loss \(loss.typeName) has reduction 'none'; training needs 'mean' or 'sum'")
        }
        let schedulerClass = spec.train.scheduler.flatMap { StandardCatalogue.pytorchClass(ofComponent: $0.typeName) }
        let clipping = spec.train.clipGradNorm.map {
            PythonSyntax.tuple([PythonSyntax.float($0.maxNorm), PythonSyntax.float($0.normType)])
        } ?? "None"
        let header = [
            ExportedFile.pythonMarker,
            "\"\"\"Trains \(spec.name), the network of \(fileName), as `nnspec train \(fileName)` does.",
            "",
            "python train.py [--init W.safetensors] [--steps N] [--save W.safetensors] [--log run.csv]",
            "torchrun --nproc_per_node N train.py [the same options]",
            "\"\"\"",
            "",
            "import argparse",
            "import csv",
            "import gzip",
            "import json",
            "import math",
            "import os",
            "import time",
            "",
            "import numpy as np",
            "import torch",
            "import torch.distributed as dist",
            "from safetensors.torch import load_file, save_file",
            "from torch import nn",
            "",
            "from model import \(spec.name)",
            "",
            "HERE = os.path.dirname(os.path.abspath(__file__))",
            "NETWORK = \(spec.name)",
            "# The spec's data: and train: blocks.",
            "BATCH_SIZE = \(data.batchSize)",
            "SHUFFLE = \(PythonSyntax.literal(.boolean(data.shuffle)))",
            "DROP_LAST = \(PythonSyntax.literal(.boolean(data.dropLast)))",
            "EPOCHS = \(spec.train.epochs)",
            "STEPS = \(spec.train.steps.map(String.init) ?? "None")",
            "SEED = \(spec.train.seed)",
            "SOURCE_SHAPE = \(PythonSyntax.tuple(sourceShape(data).map(String.init)))",
            "TARGETS = \(targets(loss))",
            "REDUCTION = \(PythonSyntax.string(loss.arguments.text("reduction") ?? "mean"))",
            "TARGET_IS_INPUT = \(PythonSyntax.literal(.boolean(data.targetIsInput)))",
            "CLIP_GRAD_NORM = \(clipping)",
            "SCHEDULER_STEPS_PER_BATCH = \(PythonSyntax.literal(.boolean(schedulerClass?.stepsPerBatch ?? false)))",
        ]
        var lines = header
        lines += PythonSyntax.bracketed("TRANSFORMS = [", data.transforms.map(transform), "]", indent: 0, literal: true)
        lines += PythonSyntax.bracketed("TRAIN = {", source(train), "}", indent: 0, literal: true)
        if let test = data.test {
            lines += PythonSyntax.bracketed("TEST = {", source(test), "}", indent: 0, literal: true)
        } else {
            lines.append("TEST = None")
        }
        lines += ["", ""] + (try function("make_loss()", loss.typeName, loss.arguments, first: nil))
        lines += ["", ""] + (try function("make_optimizer(parameters)", optimizer.typeName, optimizer.arguments, first: "parameters"))
        lines += ["", "", "def make_scheduler(optimizer, total_steps):"]
        if let scheduler = spec.train.scheduler {
            lines += try schedulerConstructor(scheduler)
        } else {
            lines.append("    return None")
        }
        return (lines + ["", "", ""]).joined(separator: "\n") + PyTorchTrainingRuntime.source + "\n"
    }

    private var fileName: String { String(file.split(separator: "/").last ?? Substring(file)) }

    /// The sample shape of the data files: the input's, before `pad` transforms (as the trainer loads them).
    private func sourceShape(_ data: DataSpec) -> [Int] {
        let shape = spec.input.sampleSizes
        return (try? SpecData.sampleShape(before: data.transforms.map(InputTransform.init), toReach: shape)) ?? shape
    }

    /// `("classes", C, (d1, …))` or `("values", (sizes…))`: what the loss compares the output with;
    /// the positions (d1, …) are empty for one class per sample, `(T,)` for a sequence's `[N, C, T]` scores.
    private func targets(_ loss: ResolvedLoss) -> String {
        let output = spec.output.sampleSizes
        switch loss.target {
        case .classIndices:
            return "(\"classes\", \(output.first ?? 1), \(PythonSyntax.tuple(output.dropFirst().map(String.init))))"
        case .sameShapeAsOutput: return "(\"values\", \(PythonSyntax.tuple(output.map(String.init))))"
        }
    }

    private func transform(_ transform: DataTransform) -> String {
        switch transform {
        case .scale(let factor): "(\"scale\", \(PythonSyntax.float(factor)))"
        case .normalize(let mean, let std):
            "(\"normalize\", \(PythonSyntax.tuple(mean.map(PythonSyntax.float))), \(PythonSyntax.tuple(std.map(PythonSyntax.float))))"
        case .pad(let padding): "(\"pad\", \(padding))"
        }
    }

    /// A split's source as dict entries, its paths relative to the output directory.
    private func source(_ source: DataSource) -> [String] {
        func entry(_ key: String, _ value: String) -> String { "\(PythonSyntax.string(key)): \(value)" }
        func limit(_ value: Int?) -> String { value.map(String.init) ?? "None" }
        switch source {
        case .random(let samples, let seed, let classes):
            return [entry("source", "\"random\""), entry("samples", String(samples)), entry("seed", String(seed)),
                    entry("classes", classes.map(String.init) ?? "None"), entry("tokens", spec.inputTokenCount.map(String.init) ?? "None"),
                    entry("probabilities", PythonSyntax.literal(.boolean(spec.loss?.takesProbabilities ?? false)))]
        case .idx(let images, let labels, let count):
            return [entry("source", "\"idx\""), entry("images", PythonSyntax.string(relative(images))),
                    entry("labels", PythonSyntax.string(relative(labels))), entry("limit", limit(count))]
        case .csv(let path, let labelColumn, let targetColumns, let header, let count):
            let columns = targetColumns.map { PythonSyntax.literal(.columns($0)) } ?? "None"
            return [entry("source", "\"csv\""), entry("path", PythonSyntax.string(relative(path))),
                    entry("label_column", PythonSyntax.column(labelColumn)), entry("target_columns", columns),
                    entry("header", PythonSyntax.literal(.boolean(header))), entry("limit", limit(count))]
        case .text(let path, let unit, let count):
            return [entry("source", "\"text\""), entry("path", PythonSyntax.string(relative(path))),
                    entry("unit", PythonSyntax.string(unit.rawValue)),
                    entry("ignore_index", String(spec.loss?.arguments.integer("ignore_index") ?? -100)), entry("limit", limit(count))]
        }
    }

    /// `path` (absolute, or relative to the working directory) relative to the output directory.
    private func relative(_ path: String) -> String {
        ExportedFile.relativePath(from: directory, to: ExportedFile.absolutePath(path))
    }

    /// `def name:` returning the component's constructor.
    private func function(_ signature: String, _ typeName: String, _ arguments: Arguments, first: String?) throws(ExportError) -> [String] {
        ["def \(signature):"] + (try constructor(typeName, arguments, first: first))
    }

    /// The body of `make_scheduler`: a scheduler with nested ones (SequentialLR) first builds them, in
    /// order, into a list named after its key (`schedulers = [LinearLR(optimizer, …), …]`).
    private func schedulerConstructor(_ scheduler: ResolvedComponent) throws(ExportError) -> [String] {
        guard let key = StandardCatalogue.catalogue.component(named: scheduler.typeName)?.definition.nestedComponents?.name else {
            return try constructor(scheduler.typeName, scheduler.arguments, first: "optimizer")
        }
        var lines = ["    \(key) = ["]
        for child in scheduler.nested {
            var call = try constructor(child.typeName, child.arguments, first: "optimizer", prefix: "", indent: 8)
            call[call.count - 1] += ","
            lines += call
        }
        return lines + ["    ]"] + (try constructor(scheduler.typeName, scheduler.arguments, first: "optimizer", leading: ["\(key)=\(key)"]))
    }

    /// `return torch.optim.SGD(parameters, lr=0.01)`: the component's class with `leading` keywords, then its non-default arguments.
    private func constructor(
        _ typeName: String, _ arguments: Arguments, first: String?, leading: [String] = [], prefix: String = "return ", indent: Int = 4
    ) throws(ExportError) -> [String] {
        guard let pytorchClass = StandardCatalogue.pytorchClass(ofComponent: typeName) else {
            throw ExportError(file: file, "\(typeName) cannot be exported: its catalogue entry has no PyTorch mapping (ExportableComponent)")
        }
        var keywords = leading
            + PythonSyntax.keywordArguments(arguments, declared: StandardCatalogue.declaredArguments(of: typeName), listsAsWritten: false)
        if let runSteps = pytorchClass.runStepsArgument, arguments[runSteps] == ArgumentValue.none {
            keywords.append("\(runSteps)=total_steps")
        }
        return PythonSyntax.call(pytorchClass.name, (first.map { [$0] } ?? []) + keywords, prefix: prefix, indent: indent)
    }
}
