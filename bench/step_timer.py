"""The timing protocol of `nnspec bench` (TrainingStepTimer.swift), for the Python sides of the
bench/compare_*.sh scripts: warm-up runs, then timed repeats of the number of runs that fills about
`repeat_seconds`; the medians per run of wall and process CPU time."""

import math
import time


def add_protocol_arguments(parser, batch_sizes):
    """The options every Python side takes: batch sizes, threads and the protocol's counts (the
    defaults of `nnspec bench`)."""
    parser.add_argument("--batch-sizes", default=batch_sizes)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--warmup-steps", type=int, default=10)
    parser.add_argument("--repeat-seconds", type=float, default=0.2)


def median_step_seconds(step, warmup_steps, repeats, repeat_seconds):
    """Median (wall, process CPU) seconds per step."""
    warmup_start, count = time.perf_counter(), 0
    while count < warmup_steps or time.perf_counter() - warmup_start < repeat_seconds:
        if count == warmup_steps // 2:
            warmup_start = time.perf_counter()
        step()
        count += 1
    calibrated = (time.perf_counter() - warmup_start) / (count - warmup_steps // 2)
    steps = max(1, math.ceil(repeat_seconds / calibrated))
    wall, cpu = [], []
    for _ in range(repeats):
        start, cpu_start = time.perf_counter(), time.process_time()
        for _ in range(steps):
            step()
        wall.append((time.perf_counter() - start) / steps)
        cpu.append((time.process_time() - cpu_start) / steps)
    return sorted(wall)[repeats // 2], sorted(cpu)[repeats // 2]
