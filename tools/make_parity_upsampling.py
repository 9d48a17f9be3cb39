#!/usr/bin/env python3
"""PyTorch's side of specs/parity/upsampling-cnn.yaml: a small encoder–decoder CNN (GroupNorm,
InstanceNorm2d, ConvTranspose2d with stride and output_padding, Upsample nearest and bilinear with
align_corners) on the committed 8×8 images, with a classifier head (class labels: nnspec has no
reconstruction target yet), trained with SGD and momentum for 20 steps from PyTorch's initial weights.

Regenerate, from the repository root (needs only PyPI packages; `nnspec test` never runs Python):

    pip install torch safetensors && python3 tools/make_parity_upsampling.py

It writes specs/parity/upsampling-cnn-init.safetensors and specs/parity/upsampling-cnn-golden.json
through tools/make_parity_goldens.py's `record` (the loop nnspec's trainer runs); the images are
specs/parity/data/images-8x8.csv, which make_parity_goldens.py writes.
"""
from collections import OrderedDict

import torch
import torch.nn as nn

from make_parity_goldens import record


def upsampling_cnn():
    """The spec's layers, named as the spec names them (unnamed ones by index)."""
    return nn.Sequential(OrderedDict([
        ("conv1", nn.Conv2d(1, 4, 3, padding=1)), ("gn1", nn.GroupNorm(2, 4)), ("2", nn.ReLU()), ("3", nn.MaxPool2d(2)),
        ("down", nn.Conv2d(4, 8, 3, stride=2, padding=1, bias=False)), ("in1", nn.InstanceNorm2d(8, affine=True)), ("6", nn.ReLU()),
        ("up1", nn.ConvTranspose2d(8, 4, 2, stride=2)), ("8", nn.ReLU()),
        ("9", nn.Upsample(scale_factor=2)),
        ("up2", nn.ConvTranspose2d(4, 2, 3, stride=2, padding=1, output_padding=1)),
        ("11", nn.Upsample(size=(12, 12), mode="bilinear", align_corners=True)),
        ("12", nn.AdaptiveAvgPool2d(2)), ("13", nn.Flatten()), ("fc", nn.Linear(8, 3)),
    ]))


def main():
    torch.manual_seed(17)
    model = upsampling_cnn()
    record("upsampling-cnn", model, "images-8x8.csv", (1, 8, 8),
           torch.optim.SGD(model.parameters(), lr=0.2, momentum=0.9), None, epochs=5, batch_size=12)


if __name__ == "__main__":
    main()
