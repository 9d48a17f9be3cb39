#!/usr/bin/env python3
"""Writes the UCI optical handwritten digits, as scikit-learn ships them, as gzip-compressed IDX files.

    pip install scikit-learn
    python3 tools/make_digits.py            # writes examples/data/digits/*.gz

scikit-learn bundles the data set (no download): 1,797 images of 8x8 pixels, values 0..16, labels 0..9.
The split is stratified and seeded (train_test_split, random_state=0): 1,437 train, 360 test images.
The gzip streams carry no time stamp, so running the script again reproduces the files byte for byte.
"""
import gzip
import pathlib
import struct

import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

OUTPUT = pathlib.Path(__file__).resolve().parent.parent / "examples" / "data" / "digits"
TEST_COUNT = 360
SEED = 0


def idx_bytes(array: np.ndarray) -> bytes:
    """IDX: magic 00 00 08 (uint8) RANK, big-endian 32-bit dimensions, then the elements row-major."""
    header = struct.pack(">BBBB", 0, 0, 0x08, array.ndim) + struct.pack(f">{array.ndim}I", *array.shape)
    return header + array.astype(np.uint8).tobytes(order="C")


def write(name: str, array: np.ndarray) -> None:
    path = OUTPUT / name
    path.write_bytes(gzip.compress(idx_bytes(array), compresslevel=9, mtime=0))
    print(f"{path.relative_to(OUTPUT.parent.parent.parent)}: {array.shape}, {path.stat().st_size} bytes")


def main() -> None:
    digits = load_digits()
    images = digits.images.astype(np.uint8)  # (1797, 8, 8), 0..16
    labels = digits.target.astype(np.uint8)  # (1797,), 0..9
    assert images.shape == (1797, 8, 8) and images.max() == 16 and (digits.images == images).all()
    train_images, test_images, train_labels, test_labels = train_test_split(
        images, labels, test_size=TEST_COUNT, stratify=labels, random_state=SEED)
    OUTPUT.mkdir(parents=True, exist_ok=True)
    write("train-images-idx3-ubyte.gz", train_images)
    write("train-labels-idx1-ubyte.gz", train_labels)
    write("test-images-idx3-ubyte.gz", test_images)
    write("test-labels-idx1-ubyte.gz", test_labels)
    print("train labels per class:", np.bincount(train_labels, minlength=10).tolist())
    print("test labels per class:", np.bincount(test_labels, minlength=10).tolist())


if __name__ == "__main__":
    main()
