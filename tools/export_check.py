#!/usr/bin/env python3
"""Checks `nnspec export` against PyTorch, ONNX and onnxruntime for every spec of the corpus that
trains (specs/ and examples/ with data, a loss and an optimizer), and writes the results to
tools/export_check.results.txt.

Per spec, from PyTorch's initial weights (model.py's network under torch.manual_seed(0), saved as
safetensors and given to both sides with --init):
  print      model.py's print(net) and named_parameters() equal what `nnspec train` prints
  black      model.py and train.py are as black formats them
  losses     `python train.py --steps 20` logs nnspec's first 20 losses within 1e-4, or else nnspec's
             losses are at most twice as far from train.py's in float64 as PyTorch's float32 ones (a
             network with Dropout is compared as a copy of its spec with every dropout probability
             0: the masks come from each framework's own generator)
  ddp        `torchrun --nproc_per_node 2 train.py --steps 20` logs the single-process losses within
             1e-4, or twice PyTorch's float32 drift from float64 where `losses` measured it
             (networks without BatchNorm; with BatchNorm the ranks' statistics differ)
  onnx       `nnspec export --to onnx` passes onnx.checker.check_model(full_check=True), and
             onnxruntime's outputs on 5 random inputs equal model.py's in eval mode and
             `nnspec predict`'s within 1e-5

    pip install torch numpy safetensors onnx onnxruntime black pyyaml
    swift build && python3 tools/export_check.py             # every spec; writes the results file
    NNSPEC=.build/release/nnspec python3 tools/export_check.py examples/iris.yaml   # some, no file
    python3 tools/export_check.py --update examples/iris.yaml   # some, their entries in the file
"""

import csv
import io
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parent.parent
NNSPEC = Path(os.environ.get("NNSPEC", ROOT / ".build/debug/nnspec")).resolve()
STEPS = 20
PYTHON = sys.executable


def run(arguments, cwd=ROOT, timeout=900):
    result = subprocess.run(
        arguments, cwd=cwd, capture_output=True, text=True, timeout=timeout
    )
    return result.returncode, result.stdout + result.stderr


def losses(path):
    with open(path) as file:
        return [float(row["loss"]) for row in csv.DictReader(file) if row["loss"]]


def free_port():
    """A TCP port nothing listens on now, for torchrun's rendezvous (a fixed one can still be held by
    the previous run's socket)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return str(probe.getsockname()[1])


DROPOUT_LAYERS = {"Dropout", "Dropout1d", "Dropout2d", "AlphaDropout"}
TRANSFORMER_LAYERS = {"TransformerEncoderLayer", "TransformerDecoderLayer"}


class SpecLoader(yaml.SafeLoader):
    """YAML as nnspec reads it: `1e-3` is a number (YAML 1.2), not text as in YAML 1.1."""


SpecLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$|^[-+]?\.(inf|Inf|INF)$"),
    list("-+0123456789."),
)


def without_dropout(spec):
    """A copy of `spec` beside it (so its data paths hold) with every dropout probability 0: Dropout
    layers' p, and `dropout` of recurrent, attention and transformer layers (whose default is 0.1).
    The losses of such a copy must agree, where Dropout's masks come from each framework's own
    generator."""

    def is_dropout(item):
        return isinstance(item, str) and item in DROPOUT_LAYERS

    def visit(node):
        if isinstance(node, list):  # a layer may be its type alone: `- Dropout`
            return [
                {"type": item, "p": 0.0} if is_dropout(item) else visit(item)
                for item in node
            ]
        if not isinstance(node, dict):
            return node
        node = {key: visit(value) for key, value in node.items()}
        if is_dropout(node.get("type")):
            node["p"] = 0.0
        if str(node.get("type")) in TRANSFORMER_LAYERS or "dropout" in node:
            node["dropout"] = 0.0
        return node

    path = Path(spec)
    copy = path.with_name(f".{path.stem}-without-dropout.yaml")
    with open(path) as file:
        document = visit(yaml.load(file, Loader=SpecLoader))
    copy.write_text(yaml.safe_dump(document, sort_keys=False, default_flow_style=None))
    return copy


def failure(output):
    """The last line of `output` that names an error, or its last line."""
    lines = output.strip().splitlines() or [""]
    return (
        "FAIL "
        + next(
            (line for line in reversed(lines) if "Error" in line), lines[-1]
        ).strip()[:200]
    )


def largest_difference(first, second):
    if len(first) != len(second):
        return float("inf")
    return max((abs(a - b) for a, b in zip(first, second)), default=0.0)


def network_text(output):
    """The print(net) and name : [shape] lines `nnspec train` prints before training."""
    lines = output.splitlines()
    end = next(
        i
        for i, line in enumerate(lines)
        if re.match(r"^[\d,]+ parameter tensors", line)
    )
    names = [
        line
        for line in lines[end + 1 :]
        if re.match(r"^\S+ : \[", line) and not line.startswith("output")
    ]
    return "\n".join(lines[:end]), names


def python_network_text(directory, script):
    status, output = run(
        [PYTHON, "-c", "import torch\nfrom model import *\n" + script], cwd=directory
    )
    if status != 0:
        raise RuntimeError(output)
    return output


def check(spec, work):
    directory = work / "pytorch"
    status, output = run(
        [NNSPEC, "export", spec, "--to", "pytorch", "--output", directory]
    )
    if status != 0:
        return {"export": failure(output)}
    if not (directory / "train.py").exists():
        return None
    text = (directory / "model.py").read_text()
    class_name = [m for m in re.finditer(r"^class (\w+)\(nn\.Module\):", text, re.M)][
        -1
    ].group(1)
    init = work / "init.safetensors"
    python_network_text(
        directory,
        "from safetensors.torch import save_file\n"
        f"torch.manual_seed(0)\nnet = {class_name}()\n"
        f"save_file({{k: v.clone().contiguous() for k, v in net.state_dict().items()}}, {str(init)!r})\n",
    )
    result = {}
    status, output = run(
        [
            NNSPEC,
            "train",
            spec,
            "--init",
            init,
            "--steps",
            "1",
        ]
    )
    if status != 0:
        return {
            "train": "skipped: nnspec train fails ("
            + output.strip().splitlines()[-1][:80]
            + ")"
        }
    printed, names = network_text(output)
    torch_text = python_network_text(
        directory,
        f"net = {class_name}()\nprint(net)\n"
        "for name, value in net.named_parameters():\n"
        "    print(name, ':', list(value.shape))\n",
    )
    torch_lines = torch_text.rstrip("\n").splitlines()
    torch_printed = "\n".join(torch_lines[: len(torch_lines) - len(names)])
    torch_names = torch_lines[len(torch_lines) - len(names) :]
    result["print"] = (
        "ok" if printed == torch_printed and names == torch_names else "DIFFERS"
    )
    status, output = run(
        ["black", "--check", "-q", directory / "model.py", directory / "train.py"]
    )
    result["black"] = "ok" if status == 0 else "DIFFERS"
    has_dropout, has_batchnorm = [
        flag == "True"
        for flag in python_network_text(
            directory,
            f"net = {class_name}()\n"
            "dropout = any((isinstance(m, torch.nn.modules.dropout._DropoutNd) and m.p > 0)\n"
            "    or (isinstance(m, (nn.MultiheadAttention, nn.RNNBase)) and m.dropout > 0)\n"
            "    for m in net.modules())\n"
            "batchnorm = any(isinstance(m, torch.nn.modules.batchnorm._BatchNorm) for m in net.modules())\n"
            "print(dropout, batchnorm)\n",
        ).split()
    ]
    if has_dropout:
        variant = without_dropout(spec)
        try:
            note = "Dropout p set to 0; "
            result.update(
                check_losses(variant, work / "no-dropout", init, has_batchnorm, note)
            )
        finally:
            variant.unlink()
    else:
        result.update(check_losses(spec, work / "as-is", init, has_batchnorm))
    result["onnx"] = check_onnx(spec, work, directory, class_name, init)
    return result


def check_losses(spec, work, init, has_batchnorm, note=""):
    """`losses` and `ddp`: nnspec's first losses against train.py's, single-process and under
    torchrun, from the same initial weights."""
    directory = work / "pytorch"
    work.mkdir()
    status, output = run(
        [NNSPEC, "export", spec, "--to", "pytorch", "--output", directory]
    )
    if status != 0:
        return {"losses": failure(output)}
    status, output = run(
        [NNSPEC, "train", spec, "--init", init, "--steps", str(STEPS)]
        + ["--log", work / "nnspec.csv"]
    )
    if status != 0:
        return {"losses": failure(output)}
    status, output = run(
        [PYTHON, directory / "train.py", "--init", init, "--steps", str(STEPS)]
        + ["--log", work / "torch.csv"]
    )
    if status != 0:
        return {"losses": failure(output)}
    single = losses(work / "torch.csv")
    difference = largest_difference(losses(work / "nnspec.csv"), single)
    result = {
        "losses": ("ok" if difference <= 1e-4 else "DIFFERS")
        + f" ({note}max diff {difference:.2e})"
    }
    # PyTorch's own float32 drift from float64, where the losses differ beyond 1e-4.
    torch_drift = 0.0
    if difference > 1e-4:
        result["losses"], torch_drift = judged_by_float64(
            work, directory, init, note, difference
        )
    status, output = run(
        ["torchrun", "--nproc_per_node", "2", "--master_port", free_port()]
        + [directory / "train.py", "--init", init, "--steps", str(STEPS)]
        + ["--log-csv", work / "ddp.csv"],
        cwd=work,
    )
    if status != 0:
        result["ddp"] = failure(output)
        return result
    difference = largest_difference(single, losses(work / "ddp.csv"))
    if has_batchnorm:
        result["ddp"] = f"n/a (BatchNorm; {note}max diff {difference:.2e})"
    else:
        # Two ranks sum the gradients in another order: allow PyTorch's own float32 drift.
        tolerance = max(1e-4, 2 * torch_drift)
        result["ddp"] = ("ok" if difference <= tolerance else "DIFFERS") + (
            f" ({note}max diff {difference:.2e}, tolerance {tolerance:.2e})"
        )
    return result


def judged_by_float64(work, directory, init, note, difference):
    """Where the losses differ by more than 1e-4, PyTorch's own float32 run may be what drifts
    (deep BatchNorm networks amplify rounding): train.py is run again in float64, and nnspec
    passes when its losses are at most twice as far from float64's as PyTorch's float32 ones.
    Returns the judgement and PyTorch's float32 drift."""
    script = (directory / "train.py").read_text()
    script = script.replace(
        "    model.to(device)\n", "    model.to(device)\n    model.double()\n"
    )
    script = script.replace(
        "inputs = train_inputs[share].to(device)",
        "inputs = train_inputs[share].to(device).double()",
    )
    (directory / "train64.py").write_text(script)
    status, output = run(
        [PYTHON, directory / "train64.py", "--init", init, "--steps", str(STEPS)]
        + ["--log", work / "torch64.csv"]
    )
    if status != 0:
        return failure(output), 0.0
    exact = losses(work / "torch64.csv")
    nnspec_drift = largest_difference(losses(work / "nnspec.csv"), exact)
    torch_drift = largest_difference(losses(work / "torch.csv"), exact)
    judgement = ("ok" if nnspec_drift <= 2 * torch_drift else "DIFFERS") + (
        f" ({note}max diff {difference:.2e}; from float64: nnspec {nnspec_drift:.2e},"
        f" PyTorch float32 {torch_drift:.2e})"
    )
    return judgement, torch_drift


def check_onnx(spec, work, directory, class_name, init):
    import onnx
    import onnxruntime

    path = work / "model.onnx"
    status, output = run(
        [NNSPEC, "export", spec, "--to", "onnx", "--weights", init, "--output", path]
    )
    if status != 0:
        return failure(output)
    onnx.checker.check_model(onnx.load(str(path)), full_check=True)
    session = onnxruntime.InferenceSession(
        str(path), providers=["CPUExecutionProvider"]
    )
    shape = [
        dimension.dim_value
        for dimension in onnx.load(str(path))
        .graph.input[0]
        .type.tensor_type.shape.dim[1:]
    ]
    generator = np.random.default_rng(0)
    vocabularies = re.findall(
        r"num_embeddings=(\d+)", (directory / "model.py").read_text()
    )
    if vocabularies:  # token ids, as an Embedding reads them
        vocabulary = min(int(size) for size in vocabularies)
        inputs = generator.integers(0, vocabulary, [5] + shape).astype(np.float32)
    else:
        inputs = generator.standard_normal([5] + shape).astype(np.float32)
    np.save(work / "inputs.npy", inputs)
    torch_output = python_network_text(
        directory,
        "import numpy as np\nfrom safetensors.torch import load_file\n"
        f"net = {class_name}()\nnet.load_state_dict(load_file({str(init)!r}))\nnet.eval()\n"
        f"x = torch.from_numpy(np.load({str(work / 'inputs.npy')!r}))\n"
        f"with torch.no_grad():\n    np.save({str(work / 'torch.npy')!r}, net(x).numpy())\n",
    )
    actual = session.run(None, {"input": inputs})[0]
    status, output = run(
        [NNSPEC, "predict", spec, "--weights", init, "--input", work / "inputs.npy"]
        + ["--output", work / "predict.npy"]
    )
    if status != 0:
        return failure(output)
    torch_difference = difference_between(np.load(work / "torch.npy"), actual)
    nnspec_difference = difference_between(np.load(work / "predict.npy"), actual)
    return ("ok" if max(torch_difference, nnspec_difference) <= 1e-5 else "DIFFERS") + (
        f" (checker ok, max diff {torch_difference:.2e} from model.py,"
        f" {nnspec_difference:.2e} from nnspec predict)"
    )


def difference_between(expected, actual):
    if expected.shape != actual.shape:
        return float("inf")
    return float(np.max(np.abs(expected - actual)))


RESULTS = ROOT / "tools" / "export_check.results.txt"


def result_blocks(text):
    """The results file's entries: spec -> its lines (the spec's line and its indented checks)."""
    blocks = {}
    for line in text.splitlines(keepends=True):
        if line.startswith("#") or line.endswith("failed checks\n"):
            continue
        if not line.startswith(" "):
            spec = line.strip()
            blocks[spec] = ""
        blocks[spec] += line
    return blocks


def main():
    # On SIGTERM, unwind as on an exception, so without_dropout()'s copy is removed.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    specs = sorted(
        str(path.relative_to(ROOT))
        for path in list((ROOT / "specs").rglob("*.yaml"))
        + list((ROOT / "examples").glob("*.yaml"))
    )
    # Hidden files are copies without_dropout() left when a run was killed.
    specs = [
        spec
        for spec in specs
        if not spec.startswith("specs/invalid/") and "/." not in spec
    ]
    update = "--update" in sys.argv[1:]
    chosen = [argument for argument in sys.argv[1:] if argument != "--update"]
    specs = chosen or specs
    binary = NNSPEC.relative_to(ROOT) if NNSPEC.is_relative_to(ROOT) else NNSPEC
    blocks = result_blocks(RESULTS.read_text()) if update else {}
    failures = 0
    for spec in specs:
        with tempfile.TemporaryDirectory() as work:
            try:
                result = check(spec, Path(work))
            except (
                Exception
            ) as error:  # a check that crashed is a failure, reported with its spec
                result = {
                    "error": f"FAIL {type(error).__name__}: {str(error).strip().splitlines()[-1][:200]}"
                }
        if result is None:
            continue
        line = (
            spec
            + "\n"
            + "".join(f"  {key}: {value}\n" for key, value in result.items())
        )
        failures += sum(
            1 for value in result.values() if value.startswith(("FAIL", "DIFFERS"))
        )
        print(line, end="", flush=True)
        blocks[spec] = line
    print(f"{failures} failed checks")
    if not chosen or update:
        # With --update, the chosen specs' entries replace theirs in the results file.
        header = f"# tools/export_check.py with {binary}\n"
        if update:
            header += f"# re-checked with --update: {' '.join(chosen)}\n"
        entries = [blocks[spec] for spec in sorted(blocks)]
        total = sum(
            entry.count(": FAIL") + entry.count(": DIFFERS") for entry in entries
        )
        RESULTS.write_text(header + "".join(entries) + f"{total} failed checks\n")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
