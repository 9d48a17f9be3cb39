#!/usr/bin/env python3
"""PyTorch's side of the 1-D parity spec specs/parity/m5-signals.yaml: a small M5-style raw-signal
network (Conv1d → BatchNorm1d → ReLU → MaxPool1d, twice, then AdaptiveAvgPool1d and a Linear head) on
committed one-channel signals of 64 samples, trained with SGD and momentum for 20 steps from PyTorch's
initial weights.

Regenerate, from the repository root (needs only PyPI packages; `nnspec test` never runs Python):

    pip install torch safetensors && python3 tools/make_parity_signals.py

It writes specs/parity/data/signals-64.csv (the class label, then 64 values with 4 decimals),
specs/parity/m5-signals-init.safetensors and specs/parity/m5-signals-golden.json, through
tools/make_parity_goldens.py's `record` (the loop nnspec's trainer runs).
"""
import math
from collections import OrderedDict

import torch
import torch.nn as nn

from make_parity_goldens import HERE, record, write_csv


def make_signals():
    """48 signals of 64 samples, 3 classes: a sine of 2, 5 or 9 periods per signal with a random phase and
    amplitude, plus noise."""
    generator = torch.Generator().manual_seed(20261205)
    labels = torch.arange(48) % 3
    periods = torch.tensor([2.0, 5.0, 9.0])[labels]
    phase = 2 * math.pi * torch.rand(48, 1, generator=generator)
    amplitude = 0.5 + torch.rand(48, 1, generator=generator)
    time = torch.arange(64, dtype=torch.float32) / 64
    signals = amplitude * torch.sin(2 * math.pi * periods[:, None] * time + phase)
    signals += 0.3 * torch.randn(48, 64, generator=generator)
    write_csv(HERE / "data" / "signals-64.csv", labels.tolist(), signals.tolist())


def m5():
    """The spec's layers, named as the spec names them (unnamed ones by index)."""
    return nn.Sequential(OrderedDict([
        ("conv1", nn.Conv1d(1, 8, 8, stride=2)), ("bn1", nn.BatchNorm1d(8)), ("2", nn.ReLU()), ("3", nn.MaxPool1d(2)),
        ("conv2", nn.Conv1d(8, 8, 3, padding=1)), ("bn2", nn.BatchNorm1d(8)), ("6", nn.ReLU()), ("7", nn.MaxPool1d(2)),
        ("8", nn.AdaptiveAvgPool1d(1)), ("9", nn.Flatten()), ("fc", nn.Linear(8, 3)),
    ]))


def main():
    make_signals()
    torch.manual_seed(16)
    model = m5()
    record("m5-signals", model, "signals-64.csv", (1, 64),
           torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9), None, epochs=5, batch_size=12)


if __name__ == "__main__":
    main()
