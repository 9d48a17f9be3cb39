#!/usr/bin/env python3
"""Prints the baselines that examples/autoencoder.yaml's test reconstruction loss is compared with.

    python3 tools/digits_autoencoder_baselines.py      # needs only numpy

It reads the digits shipped in examples/data/digits (written by tools/make_digits.py) and scales the
pixels by 1/16 into [0, 1], as the spec's `scale: 0.0625` transform does. The loss is the spec's:
MSELoss with reduction mean, the squared error averaged over every pixel of every test image.

- the mean training image: every test image reconstructed as the average of the 1,437 training
  images (the best constant guess, the trivial baseline);
- PCA with CODE components: the best *linear* encoder and decoder with as many numbers per image as
  the autoencoder's code (4 channels × 2 × 2 = 16): the training images' mean plus their projection
  on the first CODE principal directions of the training images.

Nothing is random, so every run prints the same numbers.
"""
import gzip
import pathlib
import struct

import numpy as np

DATA = pathlib.Path(__file__).resolve().parent.parent / "examples" / "data" / "digits"
CODE = 16


def read_images(name: str) -> np.ndarray:
    """An IDX file of uint8 images [count, 8, 8], gzip-compressed, as float64 pixels in [0, 1], [count, 64]."""
    raw = gzip.decompress((DATA / name).read_bytes())
    zero, zero2, dtype, rank = struct.unpack(">BBBB", raw[:4])
    assert (zero, zero2, dtype, rank) == (0, 0, 0x08, 3), f"{name}: not a uint8 IDX file of rank 3"
    shape = struct.unpack(">3I", raw[4:16])
    pixels = np.frombuffer(raw[16:], dtype=np.uint8).reshape(shape).astype(np.float64)
    return pixels.reshape(shape[0], -1) / 16


def main() -> None:
    train = read_images("train-images-idx3-ubyte.gz")
    test = read_images("test-images-idx3-ubyte.gz")
    mean = train.mean(axis=0)
    mean_mse = np.mean((test - mean) ** 2)

    _, _, directions = np.linalg.svd(train - mean, full_matrices=False)
    basis = directions[:CODE]  # [CODE, 64], orthonormal rows
    reconstructed = mean + (test - mean) @ basis.T @ basis
    pca_mse = np.mean((test - reconstructed) ** 2)

    print(f"{len(train)} training and {len(test)} test images, pixels scaled to [0, 1]")
    print(f"test MSE, the mean training image: {mean_mse:.4f}")
    print(f"test MSE, PCA with {CODE} components (the linear code of the autoencoder's size): {pca_mse:.4f}")


if __name__ == "__main__":
    main()
