# Written by nnspec export: it replaces this file when run again (others only with --force).
"""Trains CharacterTransformer, the network of char-transformer-lm.yaml, as `nnspec train char-transformer-lm.yaml` does.

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

from model import CharacterTransformer

HERE = os.path.dirname(os.path.abspath(__file__))
NETWORK = CharacterTransformer
# The spec's data: and train: blocks.
BATCH_SIZE = 16
SHUFFLE = False
DROP_LAST = False
EPOCHS = 2
STEPS = None
SEED = 0
SOURCE_SHAPE = (12,)
TARGETS = ("classes", 27, (12,))
REDUCTION = "mean"
TARGET_IS_INPUT = False
CLIP_GRAD_NORM = None
SCHEDULER_STEPS_PER_BATCH = False
TRANSFORMS = []
TRAIN = {
    "source": "text",
    "path": "../../specs/parity/data/names-160.txt",
    "unit": "characters",
    "ignore_index": -100,
    "limit": None,
}
TEST = None


def make_loss():
    return nn.CrossEntropyLoss()


def make_optimizer(parameters):
    return torch.optim.SGD(parameters, lr=0.1, momentum=0.9)


def make_scheduler(optimizer, total_steps):
    return None


