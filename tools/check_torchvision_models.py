#!/usr/bin/env python3
"""Checks the examples that transcribe torchvision's networks against torchvision itself:

1. `print(model)` and every parameter and buffer name and shape equal the spec's, as
   tools/torch_print.py builds it (whose text Tests/NNRunTests/Fixtures/torch-print/ holds for the
   Swift test that compares nnspec's own print with it);
2. torchvision's `state_dict` (fixed seed, no download), saved as safetensors into a temporary
   directory, loads strictly with `nnspec train --init`, and 20 SGD steps from it (lr 0.0001,
   momentum 0.9) on small inputs (one batch of 8 random 64×64 images written as CSV) give
   PyTorch's losses (Dropout's p set to 0 on both sides: the two draw different masks): the first (torchvision's weights, forward and loss) within 1e-5 relative, every
   one within 1e-4, or, where PyTorch's own float32 losses have drifted further from its float64
   ones, within 10× that drift so far: ResNet's training is ill-conditioned (with lr 0.001 and
   batches of 4 PyTorch's float32 drift is 4% by step 20), so later steps differ by rounding alone.

    pip install torch torchvision safetensors pyyaml
    swift build && python3 tools/check_torchvision_models.py [.build/debug/nnspec]

Nothing is written into the repository (the weights are tens of MB); exits 1 on any difference.
"""
import copy
import csv
import itertools
import pathlib
import subprocess
import sys
import tempfile

import torch
import torch.nn as nn
import torchvision
import yaml
from safetensors.torch import save_file

from torch_print import reference_text

ROOT = pathlib.Path(__file__).resolve().parent.parent
# (spec, torchvision constructor, small input for training [C, H, W])
MODELS = [
    ("examples/resnet18.yaml", torchvision.models.resnet18, [3, 64, 64]),
    ("examples/alexnet.yaml", torchvision.models.alexnet, [3, 64, 64]),
    ("examples/mobilenet_v2.yaml", torchvision.models.mobilenet_v2, [3, 64, 64]),
]
STEPS, SAMPLES, BATCH, LEARNING_RATE = 20, 8, 8, 0.0001


def state_text(model):
    lines = [str(model)]
    lines += [f"{name} : {list(tensor.shape)}" for name, tensor in model.named_parameters()]
    lines += [f"{name} : {list(tensor.shape)}" for name, tensor in model.named_buffers()]
    return "\n".join(lines) + "\n"


def without_dropout(item):
    """The spec's layers (blocks included) with every Dropout's p set to 0."""
    if isinstance(item, dict):
        return {key: 0.0 if key == "p" and item.get("type") == "Dropout" else without_dropout(value)
                for key, value in item.items()}
    if isinstance(item, list):
        return [without_dropout(value) for value in item]
    return item


def pytorch_losses(model, spec, inputs, labels):
    """PyTorch's losses for nnspec's loop: per batch zero_grad, forward, loss, backward, step; batches in order."""
    arguments = {key: value for key, value in spec["optimizer"].items() if key != "type"}
    optimizer = getattr(torch.optim, spec["optimizer"]["type"])(model.parameters(), **arguments)
    model.train()
    losses = []
    while len(losses) < STEPS:
        for start in range(0, SAMPLES, BATCH):
            optimizer.zero_grad()
            loss = nn.CrossEntropyLoss()(model(inputs[start:start + BATCH]), labels[start:start + BATCH])
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
    return losses[:STEPS]


def check(nnspec, spec_path, make, sample_shape, directory):
    failures = []
    torch.manual_seed(0)
    model = make()
    if reference_text(ROOT / spec_path) != state_text(model):
        failures.append(f"{spec_path}: print(net) or the state names differ from torchvision's")
    for module in model.modules():
        if isinstance(module, nn.Dropout):
            module.p = 0.0
    weights = directory / "weights.safetensors"
    save_file({key: value.contiguous() for key, value in model.state_dict().items()}, str(weights))

    generator = torch.Generator().manual_seed(1)
    features = torch.randn(SAMPLES, *sample_shape, generator=generator)
    labels = torch.arange(SAMPLES) % 10
    with open(directory / "data.csv", "w", newline="") as file:
        writer = csv.writer(file)
        for label, row in zip(labels.tolist(), features.reshape(SAMPLES, -1).tolist()):
            writer.writerow([label] + [f"{value:.4f}" for value in row])
    inputs = torch.tensor([[float(f"{value:.4f}") for value in row] for row in features.reshape(SAMPLES, -1).tolist()])
    inputs = inputs.reshape(SAMPLES, *sample_shape)

    spec = without_dropout(yaml.safe_load((ROOT / spec_path).read_text()))
    spec.pop("expect", None)
    spec["input"] = ["N"] + sample_shape
    spec["data"] = {"batch_size": BATCH, "train": {"source": "csv", "path": "data.csv"}}
    spec["train"] = {"steps": STEPS}
    spec["optimizer"] = {"type": "SGD", "lr": LEARNING_RATE, "momentum": 0.9}
    small = directory / "small.yaml"
    small.write_text(yaml.safe_dump(spec, sort_keys=False))
    run = subprocess.run([nnspec, "train", str(small), "--init", str(weights), "--log", str(directory / "log.csv")],
                         capture_output=True, text=True)
    if run.returncode != 0:
        return failures + [f"{spec_path}: nnspec train --init failed: {run.stderr.strip()}"]
    with open(directory / "log.csv") as file:
        nnspec_losses = [float(row["loss"]) for row in csv.DictReader(file)]
    expected = pytorch_losses(copy.deepcopy(model), spec, inputs, labels)
    exact = pytorch_losses(copy.deepcopy(model).double(), spec, inputs.double(), labels)
    drift = list(itertools.accumulate((abs(a - b) / abs(b) for a, b in zip(expected, exact)), max))
    differences = [abs(a - b) / abs(b) for a, b in zip(nnspec_losses, expected)]
    print(f"{spec_path}: print and state names equal torchvision's; {len(nnspec_losses)} steps from its weights")
    print("  step  relative difference from PyTorch  PyTorch float32's drift from float64 so far")
    for step, (difference, limit) in enumerate(zip(differences, drift), start=1):
        print(f"  {step:4}  {difference:.1e}                             {limit:.1e}")
    if len(nnspec_losses) != STEPS or differences[0] > 1e-5 \
            or any(d > max(1e-4, 10 * limit) for d, limit in zip(differences, drift)):
        failures.append(f"{spec_path}: losses differ: nnspec {nnspec_losses} PyTorch {expected}")
    return failures


def main():
    nnspec = sys.argv[1] if len(sys.argv) > 1 else str(ROOT / ".build" / "debug" / "nnspec")
    failures = []
    for spec_path, make, sample_shape in MODELS:
        with tempfile.TemporaryDirectory() as directory:
            failures += check(nnspec, spec_path, make, sample_shape, pathlib.Path(directory))
    for failure in failures:
        print(failure, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
