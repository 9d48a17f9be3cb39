# Written by nnspec export: it replaces this file when run again (others only with --force).
"""The network "Branches" of the nnspec spec "concat-reshape.yaml"."""

import torch
from torch import nn


class Concat(nn.Module):
    """The inputs joined along `dim`, as torch.cat (nnspec's Concat)."""

    def __init__(self, dim=1):
        super().__init__()
        self.dim = dim

    def extra_repr(self):
        return f"dim={self.dim}"

    def forward(self, *inputs):
        return torch.cat(inputs, dim=self.dim)


class Reshape(nn.Module):
    """Each sample viewed as `shape`, the batch dimension kept (nnspec's Reshape)."""

    def __init__(self, shape):
        super().__init__()
        self.shape = tuple(shape)

    def extra_repr(self):
        return f"shape={self.shape}"

    def forward(self, x):
        return x.reshape(x.shape[0], *self.shape)


class Branches(nn.Module):
    def __init__(self):
        super().__init__()
        self.left = nn.Conv2d(in_channels=3, out_channels=4, kernel_size=3, padding=1)
        self.right = nn.Conv2d(in_channels=3, out_channels=6, kernel_size=1)
        self.joined = Concat()
        self.add_module("3", nn.MaxPool2d(kernel_size=4, stride=4))
        self.add_module("4", Reshape(shape=(10, -1)))
        self.add_module("5", nn.Flatten(end_dim=2))
        self.fc = nn.Linear(in_features=160, out_features=10)
        self.add_module("7", nn.LogSoftmax(dim=1))

    def forward(self, inputs):
        left = self.left(inputs)
        x = self.right(inputs)
        x = self.joined(left, x)
        x = self.get_submodule("3")(x)
        x = self.get_submodule("4")(x)
        x = self.get_submodule("5")(x)
        x = self.fc(x)
        x = self.get_submodule("7")(x)
        return x
