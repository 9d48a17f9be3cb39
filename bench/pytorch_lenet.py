"""PyTorch's side of bench/compare_pytorch.sh: LeNet-5 training steps on random data.

The same network as examples/lenet.yaml (the torch.nn tutorial's LeNet), CrossEntropyLoss, SGD with
lr 0.01 and momentum 0.9, and the same timing protocol as `nnspec bench` (TrainingStepTimer.swift):
`--warmup-steps` untimed steps (at least --repeat-seconds of them), then the number of steps that fills
about --repeat-seconds timed --repeats times; the median time per step is reported, with the median
CPU time of the process per step (all threads) beside it.

Needs torch (`pip install torch`). Usage: python3 bench/pytorch_lenet.py --threads 2
"""
import argparse
import math
import resource
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 5)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = torch.flatten(x, 1)
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        return self.fc3(x)


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


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch-sizes", default="1,16,64,256")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--warmup-steps", type=int, default=10)
    parser.add_argument("--repeat-seconds", type=float, default=0.2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    flops_per_image = 2 * (3 * 416_520 - 117_600)  # as `nnspec bench`: 3 × forward − conv1's input gradient
    print(f"pytorch {torch.__version__}: {args.threads} thread(s), {flops_per_image / 1e6:.3f} MFLOP per image per step")
    print("".join(f"{c:>12}" for c in ["batch", "images/s", "ms/step", "GFLOP/s", "peak MiB", "cpu ms/step"]))
    for batch in [int(b) for b in args.batch_sizes.split(",")]:
        net = Net()
        optimizer = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9)
        loss_function = nn.CrossEntropyLoss()
        x = torch.randn(batch, 1, 32, 32)
        target = torch.randint(0, 10, (batch,))

        def step():
            optimizer.zero_grad()
            loss_function(net(x), target).backward()
            optimizer.step()

        seconds, cpu_seconds = median_step_seconds(step, args.warmup_steps, args.repeats, args.repeat_seconds)
        peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{batch:>12}{batch / seconds:>12.0f}{seconds * 1e3:>12.3f}"
              f"{flops_per_image * batch / seconds / 1e9:>12.1f}{peak_mib:>12.1f}{cpu_seconds * 1e3:>12.3f}")


if __name__ == "__main__":
    main()
