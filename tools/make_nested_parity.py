#!/usr/bin/env python3
"""PyTorch's side of specs/parity/nested-functional.yaml: a network written as PyTorch code writes it
(nested nn.Sequential containers, `self.relu` applied twice, `torch.add`, `F.max_pool2d` and
`torch.flatten` in forward), trained 20 steps (5 epochs of 4 batches of 12) with SGD and momentum
from PyTorch's initial weights on the committed 8×8 images.

    pip install torch safetensors && python3 tools/make_nested_parity.py

Writes, beside the spec, nested-functional-init.safetensors (the initial state dict, PyTorch's dotted
names) and nested-functional-golden.json (tools/make_parity_goldens.py's format); and
Tests/NNRunTests/Fixtures/nested-functional-eval.safetensors: `input` (4 images of the data) and
`output`, the eval-mode output of the initial weights, which NestedNetworkTests compares with nnspec's.
"""
import pathlib

import torch
import torch.nn as nn
import torch.nn.functional as F
from safetensors.torch import save_file

from make_parity_goldens import HERE, read_csv, record

FIXTURES = pathlib.Path(__file__).resolve().parent.parent / "Tests" / "NNRunTests" / "Fixtures"


class NestedFunctional(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1, bias=False), nn.BatchNorm2d(4))
        self.relu = nn.ReLU()
        self.block = nn.Sequential(nn.Conv2d(4, 4, 3, padding=1, bias=False), nn.BatchNorm2d(4))
        self.classifier = nn.Sequential(nn.Linear(4 * 4 * 4, 16), nn.ReLU(), nn.Linear(16, 3))

    def forward(self, x):
        x = self.relu(self.features(x))
        x = self.relu(torch.add(self.block(x), x))
        x = torch.flatten(F.max_pool2d(x, 2), 1)
        return self.classifier(x)


def main():
    torch.manual_seed(15)
    model = NestedFunctional()
    _, inputs = read_csv(HERE / "data" / "images-8x8.csv", (1, 8, 8))
    model.eval()
    with torch.no_grad():
        output = model(inputs[:4])
    save_file({"input": inputs[:4].contiguous(), "output": output.contiguous()},
              str(FIXTURES / "nested-functional-eval.safetensors"))
    record("nested-functional", model, "images-8x8.csv", (1, 8, 8),
           torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9), None, epochs=5, batch_size=12)


if __name__ == "__main__":
    main()
