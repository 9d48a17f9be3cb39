# Written by nnspec export: it replaces this file when run again (others only with --force).
"""The network "ResidualCNN" of the nnspec spec "residual-cnn-nesterov.yaml"."""

import torch
from torch import nn


class Add(nn.Module):
    """The sum of the inputs, in order (nnspec's Add; PyTorch code writes `a + b`)."""

    def forward(self, *inputs):
        return sum(inputs[1:], inputs[0])


class ResidualCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(
            in_channels=1, out_channels=4, kernel_size=3, padding=1, bias=False
        )
        self.stem_bn = nn.BatchNorm2d(num_features=4)
        self.stem_relu = nn.ReLU()
        self.b1_conv1 = nn.Conv2d(
            in_channels=4, out_channels=4, kernel_size=3, padding=1, bias=False
        )
        self.b1_bn1 = nn.BatchNorm2d(num_features=4)
        self.add_module("5", nn.ReLU())
        self.b1_conv2 = nn.Conv2d(
            in_channels=4, out_channels=4, kernel_size=3, padding=1, bias=False
        )
        self.b1_bn2 = nn.BatchNorm2d(num_features=4)
        self.b1_add = Add()
        self.add_module("9", nn.ReLU())
        self.add_module("10", nn.AdaptiveAvgPool2d(output_size=1))
        self.add_module("11", nn.Flatten())
        self.fc = nn.Linear(in_features=4, out_features=3)

    def forward(self, x):
        x = self.stem(x)
        x = self.stem_bn(x)
        stem_relu = self.stem_relu(x)
        x = self.b1_conv1(stem_relu)
        x = self.b1_bn1(x)
        x = self.get_submodule("5")(x)
        x = self.b1_conv2(x)
        x = self.b1_bn2(x)
        x = self.b1_add(x, stem_relu)
        x = self.get_submodule("9")(x)
        x = self.get_submodule("10")(x)
        x = self.get_submodule("11")(x)
        x = self.fc(x)
        return x
