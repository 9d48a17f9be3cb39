#!/usr/bin/env python3
"""Writes PyTorch's eval-mode outputs of Tests/NNRunTests/Fixtures/Predict/eval-mode.yaml, for
PredictionReferenceTests (swift test needs no Python):

- eval-mode-weights.safetensors: the network's state dict from seed 0, with BatchNorm's running
  statistics and affine parameters drawn away from their initial 0 and 1;
- eval-mode-reference.safetensors: `inputs` [5, 2, 6, 6] and `outputs` [5, 4] of `net.eval()`.

    python3 tools/make_predict_reference.py

Needs torch, safetensors and PyYAML.
"""
import pathlib
import sys

import torch
import yaml
from safetensors.torch import save_file

sys.path.insert(0, str(pathlib.Path(__file__).parent))
from torch_print import network  # noqa: E402

FIXTURES = pathlib.Path(__file__).parent.parent / "Tests/NNRunTests/Fixtures/Predict"


def main():
    torch.manual_seed(0)
    net = network(yaml.safe_load((FIXTURES / "eval-mode.yaml").read_text()))
    with torch.no_grad():
        for name in ("bn2d", "bn1d"):
            layer = getattr(net, name)
            layer.running_mean.normal_(0, 0.5)
            layer.running_var.uniform_(0.5, 2.0)
            layer.num_batches_tracked.fill_(7)
            layer.weight.uniform_(0.5, 1.5)
            layer.bias.normal_(0, 0.2)
    net.eval()
    inputs = torch.randn(5, 2, 6, 6)
    with torch.no_grad():
        outputs = net(inputs)
    save_file({key: value.contiguous() for key, value in net.state_dict().items()}, str(FIXTURES / "eval-mode-weights.safetensors"))
    save_file({"inputs": inputs.contiguous(), "outputs": outputs.contiguous()}, str(FIXTURES / "eval-mode-reference.safetensors"))


if __name__ == "__main__":
    main()
