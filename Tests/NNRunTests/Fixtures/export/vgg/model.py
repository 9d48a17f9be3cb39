# Written by nnspec export: it replaces this file when run again (others only with --force).
"""The network "SmallVGG" of the nnspec spec "vgg.yaml"."""

import torch
from torch import nn


class SmallVGG(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(
            in_channels=3, out_channels=32, kernel_size=3, padding=1, bias=False
        )
        self.bn1 = nn.BatchNorm2d(num_features=32)
        self.add_module("2", nn.ReLU())
        self.conv2 = nn.Conv2d(
            in_channels=32, out_channels=32, kernel_size=3, padding=1, bias=False
        )
        self.bn2 = nn.BatchNorm2d(num_features=32)
        self.add_module("5", nn.ReLU())
        self.add_module("6", nn.MaxPool2d(kernel_size=2, stride=2))
        self.conv3 = nn.Conv2d(
            in_channels=32, out_channels=64, kernel_size=3, padding="same", bias=False
        )
        self.bn3 = nn.BatchNorm2d(num_features=64)
        self.add_module("9", nn.ReLU())
        self.add_module("10", nn.MaxPool2d(kernel_size=2, stride=2))
        self.add_module("11", nn.Flatten())
        self.fc1 = nn.Linear(in_features=4096, out_features=256)
        self.bn4 = nn.BatchNorm1d(num_features=256)
        self.add_module("14", nn.ReLU())
        self.add_module("15", nn.Dropout())
        self.fc2 = nn.Linear(in_features=256, out_features=10)

    def forward(self, x):
        x = self.conv1(x)
        x = self.bn1(x)
        x = self.get_submodule("2")(x)
        x = self.conv2(x)
        x = self.bn2(x)
        x = self.get_submodule("5")(x)
        x = self.get_submodule("6")(x)
        x = self.conv3(x)
        x = self.bn3(x)
        x = self.get_submodule("9")(x)
        x = self.get_submodule("10")(x)
        x = self.get_submodule("11")(x)
        x = self.fc1(x)
        x = self.bn4(x)
        x = self.get_submodule("14")(x)
        x = self.get_submodule("15")(x)
        x = self.fc2(x)
        return x
