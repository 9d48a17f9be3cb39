# Written by nnspec export: it replaces this file when run again (others only with --force).
"""The network "NestedFunctional" of the nnspec spec "nested-functional.yaml"."""

import torch
from torch import nn
from torch.nn import functional as F


class NestedFunctional(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(
                in_channels=1, out_channels=4, kernel_size=3, padding=1, bias=False
            ),
            nn.BatchNorm2d(num_features=4),
        )
        self.relu = nn.ReLU()
        self.block = nn.Sequential(
            nn.Conv2d(
                in_channels=4, out_channels=4, kernel_size=3, padding=1, bias=False
            ),
            nn.BatchNorm2d(num_features=4),
        )
        self.classifier = nn.Sequential(
            nn.Linear(in_features=64, out_features=16),
            nn.ReLU(),
            nn.Linear(in_features=16, out_features=3),
        )

    def forward(self, x):
        x = self.features(x)
        relu = self.relu(x)
        x = self.block(relu)
        x = torch.add(x, relu)
        x = self.relu(x)
        x = F.max_pool2d(x, kernel_size=2, stride=2)
        x = torch.flatten(x, start_dim=1)
        x = self.classifier(x)
        return x
