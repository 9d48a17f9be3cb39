#!/usr/bin/env python3
"""Checks `nnspec predict` against PyTorch: for each spec, trains it with nnspec for 4 steps (`--save`), runs
the saved weights through the same network built in PyTorch (tools/torch_print.py's builder,
`load_state_dict`, `eval()`) and compares the outputs with `nnspec predict --output .npy` within 1e-5:

- on 37 random samples saved as .npy (fed as is; 37 is not a multiple of any batch size);
- for a spec reading IDX or CSV files, on its test file read here with numpy and transformed as the
  spec says (`scale`, `normalize`, `pad`), against `nnspec predict --input` on the same file.

    python3 tools/predict_check.py [--nnspec .build/debug/nnspec] [SPEC.yaml...]

Prints one line per check and exits 1 if any differs by more than 1e-5. Needs torch, numpy,
safetensors and PyYAML.
"""
import argparse
import gzip
import pathlib
import subprocess
import sys
import tempfile

import numpy as np
import torch
import yaml
from safetensors.torch import load_file

sys.path.insert(0, str(pathlib.Path(__file__).parent))
from torch_print import network, value  # noqa: E402

TOLERANCE = 1e-5
DEFAULT_SPECS = ["examples/digits.yaml", "examples/iris.yaml", "examples/mlp.yaml", "examples/vgg.yaml",
                 "examples/resnet.yaml", "specs/parity/cnn-batchnorm-adamw.yaml"]


def read_idx(path):
    """An IDX file as a numpy array of its type (plain or gzip)."""
    data = pathlib.Path(path).read_bytes()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    types = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}
    rank = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(rank)]
    return np.frombuffer(data[4 + 4 * rank:], dtype=types[data[2]]).reshape(shape)


def read_csv_features(path, source, features):
    """The CSV file's feature columns as nnspec reads them: the label column left out when a row has
    one value more than the input takes."""
    rows = np.loadtxt(path, delimiter=",", skiprows=1 if source.get("header", False) else 0, ndmin=2)
    if rows.shape[1] == features + 1:
        rows = np.delete(rows, source.get("label_column", 0), axis=1)
    return rows


def transformed(samples, spec):
    """`samples` [count, …] reshaped to the shape the transforms take, then transformed."""
    input_shape = [value(size) for size in spec["input"][1:]]
    transforms = spec.get("data", {}).get("transforms", [])
    padding = sum(t["pad"] for t in transforms if "pad" in t)
    source_shape = input_shape[:-2] + [size - 2 * padding for size in input_shape[-2:]] if padding else input_shape
    x = samples.astype(np.float32).reshape([len(samples)] + source_shape)
    for transform in transforms:
        if "scale" in transform:
            x = x * np.float32(transform["scale"])
        elif "normalize" in transform:
            mean = np.asarray(transform["normalize"]["mean"], np.float32)
            std = np.asarray(transform["normalize"]["std"], np.float32)
            shape = [1, -1] + [1] * (x.ndim - 2)
            x = (x - mean.reshape(shape)) / std.reshape(shape)
        elif "pad" in transform:
            p = transform["pad"]
            x = np.pad(x, [(0, 0)] * (x.ndim - 2) + [(p, p), (p, p)])
    return x.astype(np.float32)


def torch_outputs(spec, weights, inputs):
    net = network(spec)
    net.eval()
    with torch.no_grad():
        net(torch.zeros([1] + list(inputs.shape[1:])))  # materialises `auto` sizes
        net.load_state_dict(load_file(str(weights)))
        return net(torch.from_numpy(inputs)).numpy()


def nnspec_outputs(nnspec, spec_path, weights, input_path, directory):
    output = pathlib.Path(directory) / "predictions.npy"
    subprocess.run([nnspec, "predict", spec_path, "--weights", str(weights), "--input", str(input_path),
                    "--output", str(output), "--force"], check=True, stdout=subprocess.DEVNULL)
    return np.load(output)


def check(spec_path, nnspec, directory):
    """The (description, largest difference) of each check of one spec."""
    spec = yaml.safe_load(pathlib.Path(spec_path).read_text())
    base = pathlib.Path(spec_path).parent
    weights = pathlib.Path(directory) / "weights.safetensors"
    train = [nnspec, "train", spec_path, "--save", str(weights), "--force", "--quiet"]
    subprocess.run(train + (["--steps", "4"] if "steps" not in spec.get("train", {}) else []), check=True,
                   stdout=subprocess.DEVNULL)
    input_shape = [value(size) for size in spec["input"][1:]]
    results = []
    random_inputs = np.random.default_rng(0).standard_normal([37] + input_shape).astype(np.float32)
    random_path = pathlib.Path(directory) / "inputs.npy"
    np.save(random_path, random_inputs)
    difference = np.abs(nnspec_outputs(nnspec, spec_path, weights, random_path, directory)
                        - torch_outputs(spec, weights, random_inputs)).max()
    results.append(("37 random samples (.npy)", difference))

    source = spec.get("data", {}).get("test") or spec.get("data", {}).get("train") or {}
    if source.get("source") in ("idx", "csv"):
        path = base / (source["images"] if source["source"] == "idx" else source["path"])
        raw = read_idx(path) if source["source"] == "idx" else read_csv_features(path, source, int(np.prod(input_shape)))
        inputs = transformed(raw, spec)
        difference = np.abs(nnspec_outputs(nnspec, spec_path, weights, path, directory)
                            - torch_outputs(spec, weights, inputs)).max()
        results.append((f"{len(inputs)} samples of {path.name} ({source['source']}, transformed)", difference))
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nnspec", default=".build/debug/nnspec")
    parser.add_argument("specs", nargs="*", default=DEFAULT_SPECS)
    options = parser.parse_args()
    failures = 0
    for spec_path in options.specs:
        with tempfile.TemporaryDirectory() as directory:
            for description, difference in check(spec_path, options.nnspec, directory):
                verdict = "ok" if difference <= TOLERANCE else "DIFFERS"
                failures += verdict != "ok"
                print(f"{verdict:7} {spec_path}: {description}: max |nnspec - torch| = {difference:.3g}")
    print(f"{failures} of the checks differ by more than {TOLERANCE}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
