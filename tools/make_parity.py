#!/usr/bin/env python3
"""PyTorch's side of the training parity test (Tests/NNRunTests/ParityTests.swift).

Regenerate, from the repository root (needs only PyPI packages; the Swift tests never run Python):

    pip install torch safetensors && python3 tools/make_parity.py

For two networks it writes, into specs/parity/:
  lenet: the torch.nn tutorial's LeNet as an nn.Sequential named like specs/parity/lenet.yaml,
         CrossEntropyLoss, SGD(lr=0.01, momentum=0.9); data: 8 random 32×32 byte images with labels
         as IDX files (data/lenet-images-idx3-ubyte, data/lenet-labels-idx1-ubyte; 8 KB), scaled by 1/256
  mlp:   8 → 32 → 16 → 4 with ReLUs, CrossEntropyLoss, Adam(lr=0.01); data: 16 rows of a CSV file
         (data/mlp.csv: label, then 8 features with 4 decimals; 1 KB)
and for each NAME: NAME-init.safetensors (the initial state_dict with PyTorch's names, torch.manual_seed(0))
and NAME-losses.json (the loss of each of 20 steps: batch size 4, no shuffling, epochs until 20 steps).
`nnspec train specs/parity/NAME.yaml --init specs/parity/NAME-init.safetensors` reproduces the losses.
"""
import csv
import json
from collections import OrderedDict
from pathlib import Path

import torch
import torch.nn as nn
from safetensors.torch import save_file

OUT = Path(__file__).resolve().parent.parent / "specs" / "parity"
STEPS = 20
BATCH = 4


def write_idx(path, array_bytes, dims, type_code=0x08):
    """An IDX file (MNIST's format): zero, zero, type, rank; big-endian sizes; the raw bytes."""
    header = bytes([0, 0, type_code, len(dims)]) + b"".join(d.to_bytes(4, "big") for d in dims)
    path.write_bytes(header + bytes(array_bytes))


def lenet():
    return nn.Sequential(OrderedDict([
        ("conv1", nn.Conv2d(1, 6, 5)), ("1", nn.ReLU()), ("2", nn.MaxPool2d(2)),
        ("conv2", nn.Conv2d(6, 16, 5)), ("4", nn.ReLU()), ("5", nn.MaxPool2d(2)),
        ("6", nn.Flatten()),
        ("fc1", nn.Linear(16 * 5 * 5, 120)), ("8", nn.ReLU()),
        ("fc2", nn.Linear(120, 84)), ("10", nn.ReLU()),
        ("fc3", nn.Linear(84, 10)),
    ]))


def mlp():
    return nn.Sequential(OrderedDict([
        ("fc1", nn.Linear(8, 32)), ("1", nn.ReLU()),
        ("fc2", nn.Linear(32, 16)), ("3", nn.ReLU()),
        ("out", nn.Linear(16, 4)),
    ]))


def lenet_data(generator):
    images = torch.randint(0, 256, (8, 32, 32), generator=generator, dtype=torch.uint8)
    labels = torch.randint(0, 10, (8,), generator=generator, dtype=torch.uint8)
    write_idx(OUT / "data" / "lenet-images-idx3-ubyte", images.flatten().tolist(), [8, 32, 32])
    write_idx(OUT / "data" / "lenet-labels-idx1-ubyte", labels.tolist(), [8])
    # The spec's `scale: 0.00390625` (1/256, exact in float32).
    return images.float().unsqueeze(1) * 0.00390625, labels.long()


def mlp_data(generator):
    features = torch.randn(16, 8, generator=generator)
    labels = torch.randint(0, 4, (16,), generator=generator)
    rows = [[str(int(label))] + [f"{value:.4f}" for value in row.tolist()] for label, row in zip(labels, features)]
    with open(OUT / "data" / "mlp.csv", "w", newline="") as file:
        writer = csv.writer(file, lineterminator="\n")
        writer.writerow(["label"] + [f"x{i}" for i in range(8)])
        writer.writerows(rows)
    # The values as the CSV reader sees them: the written decimals, rounded to float32.
    inputs = torch.tensor([[float(text) for text in row[1:]] for row in rows], dtype=torch.float64).float()
    return inputs, labels


def losses(model, optimizer, inputs, labels):
    """20 steps over the data in order (batch b of every epoch is samples 4b..4b+3)."""
    criterion = nn.CrossEntropyLoss()
    values = []
    batches = len(inputs) // BATCH
    for step in range(STEPS):
        b = step % batches
        x, y = inputs[b * BATCH:(b + 1) * BATCH], labels[b * BATCH:(b + 1) * BATCH]
        optimizer.zero_grad()
        loss = criterion(model(x), y)
        loss.backward()
        optimizer.step()
        values.append(loss.item())
    return values


def make(name, build, data, optimizer_of):
    torch.manual_seed(0)
    model = build()
    save_file({k: v.contiguous() for k, v in model.state_dict().items()}, OUT / f"{name}-init.safetensors",
              metadata={"format": "pt"})
    inputs, labels = data(torch.Generator().manual_seed(1))
    values = losses(model, optimizer_of(model), inputs, labels)
    (OUT / f"{name}-losses.json").write_text(json.dumps({"torch": torch.__version__, "losses": values}, indent=1) + "\n")
    print(f"{name}: losses {values[0]:.6f} … {values[-1]:.6f}")


if __name__ == "__main__":
    torch.set_num_threads(1)
    (OUT / "data").mkdir(parents=True, exist_ok=True)
    make("lenet", lenet, lenet_data, lambda m: torch.optim.SGD(m.parameters(), lr=0.01, momentum=0.9))
    make("mlp", mlp, mlp_data, lambda m: torch.optim.Adam(m.parameters(), lr=0.01))
