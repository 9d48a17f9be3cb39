#!/usr/bin/env python3
"""Writes the yearly sunspot numbers 1700-2008, as statsmodels ships them, as windows for a 1-D
convolutional forecaster (examples/sunspots.yaml), and prints the baselines its test MSE is compared with.

    pip install statsmodels
    python3 tools/make_sunspots.py          # writes examples/data/sunspots/{train,test}.csv

statsmodels bundles the series (no download): 309 yearly mean sunspot numbers from the National
Geophysical Data Center, public domain. Each row of the CSV files is one window: the WINDOW values of
years t-WINDOW .. t-1 as features x1..xWINDOW (oldest first), and the value of year t as the last
column, `next`, the regression target (`target_columns: [WINDOW]`).

The split is by time, never shuffled across: windows whose target year is at most LAST_TRAIN_YEAR
are train, the later ones test. Every value is standardised with the mean and standard deviation of
the training targets' years (the series up to LAST_TRAIN_YEAR), so the network's inputs and targets are
in standard deviations of the training series and MSELoss is in their square. The files are
written with 5 decimals, the baselines are computed on those rounded values, so they are exactly
comparable with nnspec's test loss; running the script again writes the same bytes.
"""
import pathlib

import numpy as np
from statsmodels.datasets import sunspots

OUTPUT = pathlib.Path(__file__).resolve().parent.parent / "examples" / "data" / "sunspots"
WINDOW = 24           # two solar cycles of about 11 years
LAST_TRAIN_YEAR = 1948  # train targets 1724-1948, test targets 1949-2008


def write(name: str, windows: np.ndarray) -> None:
    header = ",".join([f"x{i}" for i in range(1, WINDOW + 1)] + ["next"])
    lines = [header] + [",".join(f"{value:.5f}" for value in row) for row in windows]
    (OUTPUT / name).write_text("\n".join(lines) + "\n")
    print(f"{name}: {len(windows)} windows")


def main() -> None:
    data = sunspots.load_pandas().data
    years = data["YEAR"].to_numpy().astype(int)
    values = data["SUNACTIVITY"].to_numpy().astype(np.float64)
    assert years[0] == 1700 and years[-1] == 2008 and len(values) == 309 and np.all(np.diff(years) == 1)

    training_series = values[years <= LAST_TRAIN_YEAR]
    mean, std = training_series.mean(), training_series.std()
    scaled = np.round((values - mean) / std, 5)

    windows = np.lib.stride_tricks.sliding_window_view(scaled, WINDOW + 1)  # row i: years 1700+i .. 1700+i+WINDOW
    target_years = years[WINDOW:]
    train, test = windows[target_years <= LAST_TRAIN_YEAR], windows[target_years > LAST_TRAIN_YEAR]
    OUTPUT.mkdir(parents=True, exist_ok=True)
    write("train.csv", train)
    write("test.csv", test)
    print(f"train targets {target_years[0]}-{LAST_TRAIN_YEAR}, test targets {LAST_TRAIN_YEAR + 1}-{target_years[-1]}; "
          f"standardised with the {len(training_series)} values up to {LAST_TRAIN_YEAR}: mean {mean:.4f}, std {std:.4f}")

    test_x, test_y = test[:, :WINDOW], test[:, WINDOW]
    train_x, train_y = train[:, :WINDOW], train[:, WINDOW]
    last_value = np.mean((test_x[:, -1] - test_y) ** 2)
    train_mean = np.mean(test_y ** 2)  # the training series' mean is 0 once standardised
    design = np.column_stack([train_x, np.ones(len(train_x))])
    coefficients, *_ = np.linalg.lstsq(design, train_y, rcond=None)
    linear = np.mean((np.column_stack([test_x, np.ones(len(test_x))]) @ coefficients - test_y) ** 2)
    print(f"test MSE (standardised units²): last value {last_value:.4f}; mean of the training series {train_mean:.4f}; "
          f"least squares on the {WINDOW} past values (linear AR({WINDOW})) {linear:.4f}")


if __name__ == "__main__":
    main()
