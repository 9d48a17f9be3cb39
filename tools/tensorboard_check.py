#!/usr/bin/env python3
"""Reads the event file of `nnspec train --tensorboard DIR --log LOG.csv` with TensorBoard's own
reader and checks that it finds one `train/loss` scalar per step, equal (as float32) to the log's
loss of that step, and the log's epoch metrics under `epoch/*`.

    pip install tensorboard
    nnspec train examples/digits.yaml --tensorboard /tmp/tb --log /tmp/run.csv
    tools/tensorboard_check.py /tmp/tb /tmp/run.csv

Exits 1 and names the first difference, if any.
"""
import csv
import struct
import sys

from tensorboard.backend.event_processing.event_accumulator import EventAccumulator


def float32(text):
    return struct.unpack("f", struct.pack("f", float(text)))[0]


def main(directory, log_path):
    # size_guidance 0: keep every event (the default samples 10,000 scalars per tag).
    accumulator = EventAccumulator(directory, size_guidance={"scalars": 0})
    accumulator.Reload()
    rows = list(csv.DictReader(open(log_path)))
    step_rows = [row for row in rows if row["loss"]]
    epoch_rows = [row for row in rows if not row["loss"]]
    problems = []

    losses = accumulator.Scalars("train/loss")
    if [event.step for event in losses] != [int(row["step"]) for row in step_rows]:
        problems.append(f"train/loss steps differ: {len(losses)} events, {len(step_rows)} log rows")
    for event, row in zip(losses, step_rows):
        if event.value != float32(row["loss"]):
            problems.append(f"step {row['step']}: event {event.value!r}, log {row['loss']}")
    rates = accumulator.Scalars("train/lr")
    for event, row in zip(rates, step_rows):
        if event.value != float32(row["lr"]):
            problems.append(f"step {row['step']}: lr event {event.value!r}, log {row['lr']}")
    for tag, column in [("epoch/train_loss", "train_loss"), ("epoch/test_loss", "test_loss"), ("epoch/test_accuracy", "test_accuracy")]:
        expected = [(int(row["step"]), float32(row[column])) for row in epoch_rows if row.get(column)]
        found = [(event.step, event.value) for event in accumulator.Scalars(tag)] if tag in accumulator.Tags()["scalars"] else []
        if found != expected:
            problems.append(f"{tag}: events {found[:3]}…, log {expected[:3]}…")

    print(f"{directory}: tags {sorted(accumulator.Tags()['scalars'])}")
    print(f"train/loss: {len(losses)} scalars for {len(step_rows)} log steps; epoch rows: {len(epoch_rows)}")
    for problem in problems[:20]:
        print("DIFFERENT:", problem)
    print("OK: every step's loss equals the log's" if not problems else f"{len(problems)} differences")
    return 0 if not problems else 1


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2]))
