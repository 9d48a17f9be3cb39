#!/usr/bin/env python3
"""Prints what PyTorch prints for the network of each nnspec spec: `print(net)`, then each
`name : [sizes]` of `named_parameters()` and `named_buffers()`, as reference text for the builder's tests.

    python3 tools/torch_print.py SPEC.yaml...            # to stdout
    python3 tools/torch_print.py --out DIR SPEC.yaml...  # one DIR/<spec name>.txt per spec

The spec becomes `class <name>(nn.Sequential)` with its layers as named children (unnamed ones by
index), or, when a layer has `from:`, `call:` or `use:`, an nn.Module whose children are the layers
in order and whose forward calls the functional steps (`call: F.relu` → `F.relu(x)`) and applies
`use:` modules again. A `{type: Sequential, layers: [...]}` entry is an nn.Sequential of its layers;
a `{block: B, …}` entry is an instance of a class B built the same way from `blocks: B`, its
arguments written into its layers (`repeat: n` copies, `when: false` leaves a layer out).
A spec holding an Embedding, RNN, LSTM, GRU or attention is an nn.Module too: ids pass as integers
and a recurrent layer passes on what its `output:` names.
`auto` sizes use PyTorch's lazy modules, materialised by one forward pass of zeros.
Needs torch and PyYAML.
"""
import argparse
import pathlib
import re
from collections import OrderedDict

import functools

import torch
import torch.nn as nn
import torch.nn.functional as F
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


def value(text):
    """An argument: integer expressions evaluated, lists as tuples."""
    if isinstance(text, str) and re.fullmatch(r"[0-9+\-*/() ]+", text):
        return int(eval(text.replace("/", "//")))
    if isinstance(text, list):
        return tuple(value(item) for item in text)
    return text


class LearnedPositionalEmbedding(nn.Embedding):
    """nnspec's: rows 0…L−1 of an nn.Embedding(max_len, embedding_dim) added to x [N, L, embedding_dim]."""
    def __init__(self, max_len, embedding_dim):
        super().__init__(max_len, embedding_dim)

    def extra_repr(self):
        return f"max_len={self.num_embeddings}, embedding_dim={self.embedding_dim}"

    def forward(self, x):
        return x + super().forward(torch.arange(x.shape[1]))


OWN = {"Add": Add, "Concat": Concat, "Reshape": Reshape, "LearnedPositionalEmbedding": LearnedPositionalEmbedding}

# Layers that need the network's own forward: ids become integers, recurrent outputs and attention are
# tuples, attention reads its input three times.
SEQUENCE = (nn.Embedding, nn.RNNBase, nn.MultiheadAttention, nn.TransformerDecoderLayer)


def called(child, inputs):
    """The child's result for `inputs` (ids as integers for an Embedding; query = key = value for attention)."""
    if isinstance(child, nn.Embedding) and not isinstance(child, LearnedPositionalEmbedding):
        return child(*[x.long() for x in inputs])
    if isinstance(child, nn.MultiheadAttention):
        return child(inputs[0], inputs[0], inputs[0])[0]
    return child(*inputs)


def passed_on(child, result):
    """What a layer passes to the next: for RNN, LSTM and GRU the part of PyTorch's (output, h_n) that
    the spec's `output:` names (nnspec's argument, kept as `spec_output`), else the result itself."""
    if not isinstance(child, nn.RNNBase):
        return result
    output, h_n = result
    h_n = h_n[0] if isinstance(h_n, tuple) else h_n  # LSTM's (h_n, c_n)
    if child.spec_output == "last":
        return output[:, -1] if child.batch_first else output[-1]
    if child.spec_output == "hidden":
        return torch.cat(list(h_n[-(2 if child.bidirectional else 1):]), dim=1)
    return output


def module(layer):
    kind = layer["type"]
    # output and causal are nnspec's (what a recurrent layer passes on, PyTorch's is_causal at call time).
    arguments = {key: value(item) for key, item in layer.items() if key not in ("type", "name", "from", "output", "causal")}
    if kind in ("RNN", "LSTM", "GRU"):
        child = getattr(nn, kind)(**arguments)
        child.spec_output = layer.get("output", "sequence")
        return child
    if kind in LAZY and arguments.get(LAZY[kind][0]) == "auto":
        del arguments[LAZY[kind][0]]
        return LAZY[kind][1](**arguments)
    return OWN[kind](**arguments) if kind in OWN else getattr(nn, kind)(**arguments)


FUNCTIONS = {
    "F.relu": F.relu, "F.relu6": F.relu6, "F.silu": F.silu, "F.hardswish": F.hardswish,
    "torch.sigmoid": torch.sigmoid, "torch.tanh": torch.tanh, "F.max_pool2d": F.max_pool2d,
    "F.avg_pool2d": F.avg_pool2d, "F.adaptive_avg_pool2d": F.adaptive_avg_pool2d, "torch.flatten": torch.flatten,
    "torch.add": lambda *inputs: functools.reduce(torch.add, inputs),
    "torch.cat": lambda *inputs, dim=0: torch.cat(inputs, dim),
}


def step(layer, own, inputs):
    """A functional step's or a reused module's output; None for a registered child."""
    if "call" in layer:
        arguments = {key: value(item) for key, item in layer.items() if key not in ("call", "name", "from")}
        return FUNCTIONS[layer["call"]](*inputs, **arguments)
    return getattr(own, layer["use"])(*inputs)


NAME_KEYS = ("name", "type", "call", "use", "block", "from")


def substitute(item, values):
    """A block's layer entry with its arguments' values written in (`planes*4` → 256)."""
    if isinstance(item, dict):
        return {key: item[key] if key in NAME_KEYS else substitute(item[key], values) for key in item}
    if isinstance(item, list):
        return [substitute(element, values) for element in item]
    if isinstance(item, str) and re.fullmatch(r"[A-Za-z0-9_+\-*/() ]+", item):
        if item in values:
            return values[item]
        words = re.findall(r"[A-Za-z_][A-Za-z0-9_]*", item)
        if words and all(word in values for word in words):
            return str(eval(re.sub(r"[A-Za-z_][A-Za-z0-9_]*", lambda m: f"({values[m.group(0)]})", item).replace("/", "//")))
    return item


def expand(entries, values):
    """The entries with `repeat:` copies made and, when `values` (a block's arguments) are given,
    the values written in and `when: false` entries left out; returns them and the left-out names."""
    layers, absent = [], set()
    for entry in entries:
        layer = {"type": entry} if isinstance(entry, str) else dict(entry)
        if values is not None:
            layer = substitute(layer, values)
        if layer.pop("when", True) is False:
            absent.add(layer.get("name"))
            continue
        layers += [{key: item for key, item in layer.items() if key != "repeat"}] * int(value(layer.get("repeat", 1)))
    return layers, absent


def network(spec):
    return container(spec["layers"], spec.get("name", "Net"), spec.get("blocks", {}), None)


def child(layer, blocks):
    """The module a registered entry makes: a Sequential, a block instance or a layer."""
    if "block" in layer:
        definition = blocks[layer["block"]]
        arguments = {name: (None if kind in ("int", "float", "bool") else kind)
                     for name, kind in definition.get("arguments", {}).items()}
        arguments.update({key: value(item) for key, item in layer.items() if key not in ("block", "name", "from")})
        return container(definition["layers"], layer["block"], blocks, arguments)
    if layer["type"] == "Sequential":
        return container(layer["layers"], "Sequential", blocks, None)
    return module(layer)


def container(entries, class_name, blocks, values):
    layers, absent = expand(entries, values)
    names = [str(layer.get("name", index)) for index, layer in enumerate(layers)]
    children = OrderedDict(
        (name, child(layer, blocks)) for name, layer in zip(names, layers) if "type" in layer or "block" in layer)
    if all(("type" in layer or "block" in layer) and "from" not in layer for layer in layers) and not any(
            isinstance(c, SEQUENCE) for c in children.values()):
        return type(class_name, (nn.Sequential,), {})(children)

    sources = []
    for index, layer in enumerate(layers):
        reads = layer.get("from", names[index - 1] if index > 0 else "input")
        sources.append(["input" if read in absent else read for read in ([reads] if isinstance(reads, str) else reads)])

    def init(self):
        nn.Module.__init__(self)
        for name, child in children.items():
            self.add_module(name, child)

    def forward(self, x):
        outputs = {"input": x}
        for name, layer, reads in zip(names, layers, sources):
            inputs = [outputs[read] for read in reads]
            if name in children:
                child = getattr(self, name)
                x = passed_on(child, called(child, inputs))
            else:
                x = step(layer, self, inputs)
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
