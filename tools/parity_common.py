"""What tools/make_parity.py and tools/make_parity_goldens.py share: the torch.nn tutorial's LeNet and
the initial state dict written as safetensors."""
from collections import OrderedDict

import torch.nn as nn
from safetensors.torch import save_file


def tutorial_lenet():
    """The torch.nn tutorial's LeNet as an nn.Sequential named like the specs (named layers, others by index)."""
    return nn.Sequential(OrderedDict([
        ("conv1", nn.Conv2d(1, 6, 5)), ("1", nn.ReLU()), ("2", nn.MaxPool2d(2)),
        ("conv2", nn.Conv2d(6, 16, 5)), ("4", nn.ReLU()), ("5", nn.MaxPool2d(2)),
        ("6", nn.Flatten()),
        ("fc1", nn.Linear(16 * 5 * 5, 120)), ("8", nn.ReLU()),
        ("fc2", nn.Linear(120, 84)), ("10", nn.ReLU()),
        ("fc3", nn.Linear(84, 10)),
    ]))


def save_state(model, path, metadata=None):
    """`model`'s state dict (PyTorch's names) as a safetensors file at `path`. Each tensor is copied, so a
    tied parameter (one tensor under two names, which safetensors refuses to share) is saved under both."""
    save_file({key: value.detach().clone().contiguous() for key, value in model.state_dict().items()}, str(path),
              metadata=metadata)
