# Written by nnspec export: it replaces this file when run again (others only with --force).
"""Trains SmallVGG, the network of vgg.yaml, as `nnspec train vgg.yaml` does.

python train.py [--init W.safetensors] [--steps N] [--save W.safetensors] [--log run.csv]
torchrun --nproc_per_node N train.py [the same options]
"""

import argparse
import csv
import gzip
import json
import math
import os
import time

import numpy as np
import torch
import torch.distributed as dist
from safetensors.torch import load_file, save_file
from torch import nn

from model import SmallVGG

HERE = os.path.dirname(os.path.abspath(__file__))
NETWORK = SmallVGG
# The spec's data: and train: blocks.
BATCH_SIZE = 64
SHUFFLE = True
DROP_LAST = False
EPOCHS = 2
STEPS = None
SEED = 0
SOURCE_SHAPE = (3, 32, 32)
TARGETS = ("classes", 10, ())
REDUCTION = "mean"
TARGET_IS_INPUT = False
CLIP_GRAD_NORM = None
SCHEDULER_STEPS_PER_BATCH = False
TRANSFORMS = []
TRAIN = {
    "source": "random",
    "samples": 256,
    "seed": 0,
    "classes": None,
    "tokens": None,
    "probabilities": False,
}
TEST = None


def make_loss():
    return nn.CrossEntropyLoss()


def make_optimizer(parameters):
    return torch.optim.SGD(
        parameters, lr=0.05, momentum=0.9, weight_decay=0.0005, nesterov=True
    )


def make_scheduler(optimizer, total_steps):
    return torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=2)


