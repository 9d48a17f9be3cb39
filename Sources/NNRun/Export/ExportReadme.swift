import NNSpec

/// DIR/README.md of a PyTorch export: what the files are and how to run train.py on one machine and
/// on several (torchrun), with what stays as in nnspec and what does not.
struct ExportReadme {
    let spec: ValidatedSpec
    let file: String
    let hasTraining: Bool
    let hasWeights: Bool

    func render() -> String {
        let name = String(file.split(separator: "/").last ?? Substring(file))
        var lines = [
            ExportedFile.markdownMarker,
            "# \(spec.name), exported from \(name)",
            "",
            "`model.py` defines `\(spec.name)`, an `nn.Module` whose children, parameter names and `print(net)` are",
            "nnspec's, so weights saved by `nnspec train --save` load with `load_state_dict` and the other way round:",
            "",
            "```python",
            "from safetensors.torch import load_file",
            "from model import \(spec.name)",
            "",
            "net = \(spec.name)()",
            "net.load_state_dict(load_file(\"\(hasWeights ? PyTorchExport.weightsFileName : "weights.safetensors")\"))",
            "```",
        ]
        guard hasTraining else {
            return (lines + ["", "The spec has no data, loss or optimizer to train with, so there is no `train.py`."])
                .joined(separator: "\n") + "\n"
        }
        let initOption = hasWeights ? " --init \(PyTorchExport.weightsFileName)" : ""
        lines += [
            "",
            "## Train",
            "",
            "`train.py` trains as `nnspec train` does: the same data (read with numpy, the same transforms and",
            "sample order), loss, optimizer, scheduler, batch size and epochs or steps. Needs torch, numpy and",
            "safetensors. Data paths in `train.py` are relative to this directory.",
            "",
            "```sh",
            "python train.py\(initOption) --save trained.safetensors --log run.csv",
            "```",
            "",
            "On several processes, one machine (DDP; gloo on CPU, nccl on CUDA):",
            "",
            "```sh",
            "torchrun --nproc_per_node 4 train.py\(initOption) --log-csv run.csv",
            "```",
            "",
            "On several machines (run on each, with its own `--node_rank`, 0 on the first):",
            "",
            "```sh",
            "torchrun --nnodes 2 --nproc_per_node 4 --node_rank 0 --master_addr HOST --master_port 29500 train.py\(initOption)",
            "```",
            "",
            "- The spec's `batch_size` (\(spec.data?.batchSize ?? 1)) is the global batch: each of the W ranks takes every",
            "  W-th sample of it, each rank's loss is weighed so that DDP's averaged gradient is the whole batch's,",
            "  and the logged loss is the mean over the global batch (all-reduced).",
            "- Under torchrun write `--log-csv` for `--log` (torchrun reads `--log` as an abbreviation of its own options).",
            "- Rank 0 writes `--log` and `--save`. `--sync-batchnorm` computes BatchNorm statistics over all ranks;",
            "  without it each rank normalises with its own share of the batch, so losses differ from one process.",
            "- `--init W.safetensors` starts from given weights; without it PyTorch initialises the network with",
            "  its own generator, so the weights (not their distribution) differ from nnspec's seed.",
            "- Dropout draws its masks from PyTorch's generator: with Dropout, losses follow nnspec's only in",
            "  distribution.",
            "- `source: random` data is nnspec's own (its generator is reimplemented in train.py), so it is the",
            "  same values; `shuffle: true` uses nnspec's permutation of each epoch.",
        ]
        return lines.joined(separator: "\n") + "\n"
    }
}
