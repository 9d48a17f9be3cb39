#!/usr/bin/env python3
"""Writes Fisher's iris data, as scikit-learn ships it, as two CSV files for the `csv` data source.

    pip install scikit-learn
    python3 tools/make_iris.py              # writes examples/data/iris/{train,test}.csv

scikit-learn bundles the data set (no download): 150 flowers, 4 measurements in cm, 3 species (50 each).
The split is stratified and seeded (train_test_split, random_state=0): 120 train, 30 test rows.
"""
import pathlib

import numpy as np
from sklearn.datasets import load_iris
from sklearn.model_selection import train_test_split

OUTPUT = pathlib.Path(__file__).resolve().parent.parent / "examples" / "data" / "iris"
HEADER = "sepal_length,sepal_width,petal_length,petal_width,species"
TEST_COUNT = 30
SEED = 0


def write(name: str, features: np.ndarray, labels: np.ndarray) -> None:
    rows = [",".join(f"{value:g}" for value in row) + f",{label}" for row, label in zip(features, labels)]
    path = OUTPUT / name
    path.write_text("\n".join([HEADER] + rows) + "\n")
    print(f"{path.relative_to(OUTPUT.parent.parent.parent)}: {len(rows)} rows, {path.stat().st_size} bytes,",
          "per class", np.bincount(labels, minlength=3).tolist())


def main() -> None:
    iris = load_iris()
    train_x, test_x, train_y, test_y = train_test_split(
        iris.data, iris.target, test_size=TEST_COUNT, stratify=iris.target, random_state=SEED)
    OUTPUT.mkdir(parents=True, exist_ok=True)
    write("train.csv", train_x, train_y)
    write("test.csv", test_x, test_y)


if __name__ == "__main__":
    main()
