"""PyTorch's side of bench/compare_pytorch.sh: training steps of a spec's network on random data.

The network is the spec's own, as `nnspec export --to pytorch` writes it (DIR/model.py, class named
as the spec's `name`). The step is `nnspec bench`'s: zero_grad, forward, CrossEntropyLoss against
uniform class labels (one per position for an output [N, C, d1, …]), backward, SGD with lr 0.01 and momentum 0.9, on standard-normal inputs of the
spec's input shape (token ids below --tokens for a network that starts with an Embedding). The timing protocol is `nnspec bench`'s too (TrainingStepTimer.swift):
`--warmup-steps` untimed steps (at least --repeat-seconds of them), then the number of steps that
fills about --repeat-seconds, timed --repeats times; the median time per step is reported, with the
median CPU time of the process per step (all threads) beside it.

Needs torch (`pip install torch`).
Usage: python3 bench/pytorch_step.py --model DIR/model.py --class-name NAME --input 3,32,32 --output 10
"""
import argparse
import importlib.util
import resource

import torch
import torch.nn as nn

from step_timer import add_protocol_arguments, median_step_seconds


def load_network_class(path, name):
    """The class `name` of the exported model.py at `path`."""
    spec = importlib.util.spec_from_file_location("exported_model", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return getattr(module, name)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True, help="model.py written by nnspec export --to pytorch")
    parser.add_argument("--class-name", required=True, help="the spec's name: the class in model.py")
    parser.add_argument("--input", required=True, help="one sample's shape, e.g. 3,32,32")
    parser.add_argument("--output", required=True, help="one sample's output shape: C, or C,d1,… for per-position scores")
    parser.add_argument("--tokens", type=int, default=0, help="draw token ids below this instead of normal inputs")
    add_protocol_arguments(parser, batch_sizes="1,16,64,256")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    network_class = load_network_class(args.model, args.class_name)
    sample_shape = [int(size) for size in args.input.split(",")]
    classes, *positions = [int(size) for size in args.output.split(",")]
    print(f"pytorch {torch.__version__}: {args.class_name}, {args.threads} thread(s)")
    print("".join(f"{c:>12}" for c in ["batch", "images/s", "ms/step", "peak MiB", "cpu ms/step"]))
    for batch in [int(b) for b in args.batch_sizes.split(",")]:
        net = network_class()
        net.train()
        optimizer = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9)
        loss_function = nn.CrossEntropyLoss()
        if args.tokens:
            x = torch.randint(0, args.tokens, [batch] + sample_shape)
        else:
            x = torch.randn([batch] + sample_shape)
        target = torch.randint(0, classes, [batch] + positions)

        def step():
            optimizer.zero_grad()
            loss_function(net(x), target).backward()
            optimizer.step()

        seconds, cpu_seconds = median_step_seconds(step, args.warmup_steps, args.repeats, args.repeat_seconds)
        peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{batch:>12}{batch / seconds:>12.0f}{seconds * 1e3:>12.3f}{peak_mib:>12.1f}{cpu_seconds * 1e3:>12.3f}")


if __name__ == "__main__":
    main()
