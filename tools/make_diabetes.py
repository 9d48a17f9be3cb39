#!/usr/bin/env python3
"""Writes the diabetes data of Efron et al. (2004), as scikit-learn ships it, as two CSV files for
examples/regression.yaml, and prints two baselines for its test loss.

    pip install scikit-learn
    python3 tools/make_diabetes.py          # writes examples/data/diabetes/{train,test}.csv

scikit-learn bundles the data set (no download): 442 patients, ten baseline variables, and a measure of
disease progression one year later. The split is seeded (train_test_split, test_size=0.2,
random_state=0): 353 train, 89 test rows. Each feature is standardised with the training rows' mean
and standard deviation; the target is the progression divided by 100, so MSELoss is in (100 units)².
"""
import pathlib

import numpy as np
from sklearn.datasets import load_diabetes
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import train_test_split

OUTPUT = pathlib.Path(__file__).resolve().parent.parent / "examples" / "data" / "diabetes"
FEATURES = ["age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6"]


def main() -> None:
    data = load_diabetes(scaled=False)
    train_x, test_x, train_y, test_y = train_test_split(data.data, data.target / 100, test_size=0.2, random_state=0)
    mean, std = train_x.mean(axis=0), train_x.std(axis=0)
    OUTPUT.mkdir(parents=True, exist_ok=True)
    for name, x, y in (("train.csv", train_x, train_y), ("test.csv", test_x, test_y)):
        table = np.column_stack([(x - mean) / std, y])
        lines = [",".join(FEATURES + ["progression"])] + [",".join(f"{value:.5f}" for value in row) for row in table]
        (OUTPUT / name).write_text("\n".join(lines) + "\n")
        print(f"{name}: {len(table)} rows")
    mean_baseline = np.mean((test_y - train_y.mean()) ** 2)
    linear = LinearRegression().fit((train_x - mean) / std, train_y)
    linear_mse = np.mean((linear.predict((test_x - mean) / std) - test_y) ** 2)
    print(f"test MSE predicting the training mean: {mean_baseline:.4f}; least squares: {linear_mse:.4f}")


if __name__ == "__main__":
    main()
