# Written by nnspec export: it replaces this file when run again (others only with --force).
"""Trains NestedFunctional, the network of nested-functional.yaml, as `nnspec train nested-functional.yaml` does.

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

from model import NestedFunctional

HERE = os.path.dirname(os.path.abspath(__file__))
NETWORK = NestedFunctional
# The spec's data: and train: blocks.
BATCH_SIZE = 12
SHUFFLE = False
DROP_LAST = False
EPOCHS = 5
STEPS = None
SEED = 0
SOURCE_SHAPE = (1, 8, 8)
TARGETS = ("classes", 3, ())
REDUCTION = "mean"
TARGET_IS_INPUT = False
CLIP_GRAD_NORM = None
SCHEDULER_STEPS_PER_BATCH = False
TRANSFORMS = []
TRAIN = {
    "source": "csv",
    "path": "../../specs/parity/data/images-8x8.csv",
    "label_column": 0,
    "target_columns": None,
    "header": False,
    "limit": None,
}
TEST = None


def make_loss():
    return nn.CrossEntropyLoss()


def make_optimizer(parameters):
    return torch.optim.SGD(parameters, lr=0.05, momentum=0.9)


def make_scheduler(optimizer, total_steps):
    return None


