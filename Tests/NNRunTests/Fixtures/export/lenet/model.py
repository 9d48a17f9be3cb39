# Written by nnspec export: it replaces this file when run again (others only with --force).
"""The network "Net" of the nnspec spec "lenet.yaml"."""

import torch
from torch import nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels=1, out_channels=6, kernel_size=5)
        self.add_module("1", nn.ReLU())
        self.add_module("2", nn.MaxPool2d(kernel_size=2, stride=2))
        self.conv2 = nn.Conv2d(in_channels=6, out_channels=16, kernel_size=5)
        self.add_module("4", nn.ReLU())
        self.add_module("5", nn.MaxPool2d(kernel_size=2, stride=2))
        self.add_module("6", nn.Flatten())
        self.fc1 = nn.Linear(in_features=400, out_features=120)
        self.add_module("8", nn.ReLU())
        self.fc2 = nn.Linear(in_features=120, out_features=84)
        self.add_module("10", nn.ReLU())
        self.fc3 = nn.Linear(in_features=84, out_features=10)

    def forward(self, x):
        x = self.conv1(x)
        x = self.get_submodule("1")(x)
        x = self.get_submodule("2")(x)
        x = self.conv2(x)
        x = self.get_submodule("4")(x)
        x = self.get_submodule("5")(x)
        x = self.get_submodule("6")(x)
        x = self.fc1(x)
        x = self.get_submodule("8")(x)
        x = self.fc2(x)
        x = self.get_submodule("10")(x)
        x = self.fc3(x)
        return x
