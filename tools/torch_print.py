#!/usr/bin/env python3
"""Prints what PyTorch prints for the network of each nnspec spec: `print(net)`, then each
`name : [sizes]` of `named_parameters()` and `named_buffers()`, as reference text for the builder's tests.

    python3 tools/torch_print.py SPEC.yaml...            # to stdout
    python3 tools/torch_print.py --out DIR SPEC.yaml...  # one DIR/<spec name>.txt per spec

The spec becomes `class <name>(nn.Sequential)` with its layers as named children (unnamed ones by
index), or, when a layer has `from:`, an nn.Module whose children are the layers in order.
`auto` sizes use PyTorch's lazy modules, materialised by one forward pass of zeros.
Needs torch and PyYAML.
"""
import argparse
import pathlib
import re
from collections import OrderedDict

import torch
import torch.nn as nn
import yaml


class Add(nn.Module):
    """The sum of the inputs (PyTorch code writes `a + b`)."""
    def forward(self, *inputs):
        return sum(inputs)


class Concat(nn.Module):
    def __init__(self, dim=1):
        super().__init__()
        self.dim = dim

    def extra_repr(self):
        return f"dim={self.dim}"

    def forward(self, *inputs):
        return torch.cat(inputs, self.dim)


class Reshape(nn.Module):
    def __init__(self, shape):
        super().__init__()
        self.shape = tuple(shape)

    def extra_repr(self):
        return f"shape={self.shape}"

    def forward(self, x):
        return x.reshape(x.shape[0], *self.shape)


LAZY = {"Linear": ("in_features", nn.LazyLinear), "Conv1d": ("in_channels", nn.LazyConv1d), "Conv2d": ("in_channels", nn.LazyConv2d),
        "BatchNorm1d": ("num_features", nn.LazyBatchNorm1d), "BatchNorm2d": ("num_features", nn.LazyBatchNorm2d)}
OWN = {"Add": Add, "Concat": Concat, "Reshape": Reshape}


def value(text):
    """An argument: integer expressions evaluated, lists as tuples."""
    if isinstance(text, str) and re.fullmatch(r"[0-9+\-*/() ]+", text):
        return int(eval(text.replace("/", "//")))
    if isinstance(text, list):
        return tuple(value(item) for item in text)
    return text


def module(layer):
    kind = layer["type"]
    arguments = {key: value(item) for key, item in layer.items() if key not in ("type", "name", "from")}
    if kind in LAZY and arguments.get(LAZY[kind][0]) == "auto":
        del arguments[LAZY[kind][0]]
        return LAZY[kind][1](**arguments)
    return OWN[kind](**arguments) if kind in OWN else getattr(nn, kind)(**arguments)


def network(spec):
    layers = [{"type": layer} if isinstance(layer, str) else layer for layer in spec["layers"]]
    names = [str(layer.get("name", index)) for index, layer in enumerate(layers)]
    children = OrderedDict((name, module(layer)) for name, layer in zip(names, layers))
    class_name = spec.get("name", "Net")
    if not any("from" in layer for layer in layers):
        return type(class_name, (nn.Sequential,), {})(children)

    sources = []
    for index, layer in enumerate(layers):
        reads = layer.get("from", names[index - 1] if index > 0 else "input")
        sources.append([reads] if isinstance(reads, str) else reads)

    def init(self):
        nn.Module.__init__(self)
        for name, child in children.items():
            self.add_module(name, child)

    def forward(self, x):
        outputs = {"input": x}
        for name, reads in zip(names, sources):
            x = getattr(self, name)(*[outputs[read] for read in reads])
            outputs[name] = x
        return x

    return type(class_name, (nn.Module,), {"__init__": init, "forward": forward})()


def reference_text(path):
    spec = yaml.safe_load(pathlib.Path(path).read_text())
    net = network(spec)
    net.eval()
    with torch.no_grad():
        net(torch.zeros([1] + [value(size) for size in spec["input"][1:]]))
    lines = [str(net)]
    lines += [f"{name} : {list(tensor.shape)}" for name, tensor in net.named_parameters()]
    lines += [f"{name} : {list(tensor.shape)}" for name, tensor in net.named_buffers()]
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=pathlib.Path, help="directory for one <spec name>.txt per spec")
    parser.add_argument("specs", nargs="+")
    options = parser.parse_args()
    for path in options.specs:
        text = reference_text(path)
        if options.out:
            options.out.mkdir(parents=True, exist_ok=True)
            (options.out / (pathlib.Path(path).stem + ".txt")).write_text(text)
        else:
            print(f"# {path}\n{text}")


if __name__ == "__main__":
    main()
