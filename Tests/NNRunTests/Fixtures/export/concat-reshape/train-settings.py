# Written by nnspec export: it replaces this file when run again (others only with --force).
"""Trains Branches, the network of concat-reshape.yaml, as `nnspec train concat-reshape.yaml` does.

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

from model import Branches

HERE = os.path.dirname(os.path.abspath(__file__))
NETWORK = Branches
# The spec's data: and train: blocks.
BATCH_SIZE = 2
SHUFFLE = False
DROP_LAST = False
EPOCHS = 1
STEPS = None
SEED = 0
SOURCE_SHAPE = (3, 16, 16)
TARGETS = ("classes", 10, ())
REDUCTION = "mean"
TARGET_IS_INPUT = False
CLIP_GRAD_NORM = None
SCHEDULER_STEPS_PER_BATCH = False
TRANSFORMS = []
TRAIN = {
    "source": "random",
    "samples": 4,
    "seed": 0,
    "classes": 10,
    "tokens": None,
    "probabilities": False,
}
TEST = None


def make_loss():
    return nn.NLLLoss()


def make_optimizer(parameters):
    return torch.optim.SGD(parameters)


def make_scheduler(optimizer, total_steps):
    return None


