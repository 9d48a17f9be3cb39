"""onnxruntime's side of bench/compare_onnxruntime.sh: forward passes of a spec's network.

The model is nnspec's own ONNX export of the spec (`nnspec export --to onnx`), run by onnxruntime's
CPU provider with --threads intra-op threads on random inputs of the graph input's shape (token ids
below --tokens for a network that starts with an Embedding). The timing protocol is `nnspec bench`'s
(TrainingStepTimer.swift): --warmup-steps untimed runs (at least --repeat-seconds of them), then the
number of runs that fills about --repeat-seconds, timed --repeats times; the median time per run is
reported, with the median CPU time of the process per run (all threads) beside it.

Needs onnxruntime and numpy (`pip install onnxruntime numpy`).
Usage: python3 bench/onnxruntime_forward.py --model model.onnx --batch-sizes 1,16
"""

import argparse
import resource

import numpy as np
import onnxruntime

from step_timer import add_protocol_arguments, median_step_seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True, help="model.onnx written by nnspec export --to onnx")
    parser.add_argument("--tokens", type=int, default=0, help="draw token ids below this instead of normal inputs")
    add_protocol_arguments(parser, batch_sizes="1,16,64")
    args = parser.parse_args()
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = args.threads
    options.inter_op_num_threads = 1
    session = onnxruntime.InferenceSession(args.model, options, providers=["CPUExecutionProvider"])
    graph_input = session.get_inputs()[0]
    sample_shape = list(graph_input.shape[1:])
    generator = np.random.default_rng(0)
    print(f"onnxruntime {onnxruntime.__version__}: {args.model}, {args.threads} thread(s)")
    print("".join(f"{c:>12}" for c in ["batch", "images/s", "ms/step", "peak MiB", "cpu ms/step"]))
    for batch in [int(b) for b in args.batch_sizes.split(",")]:
        shape = [batch] + sample_shape
        if args.tokens:
            x = generator.integers(0, args.tokens, shape).astype(np.float32)
        else:
            x = generator.standard_normal(shape).astype(np.float32)
        feed = {graph_input.name: x}
        seconds, cpu_seconds = median_step_seconds(
            lambda: session.run(None, feed), args.warmup_steps, args.repeats, args.repeat_seconds
        )
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{batch:>12}{batch / seconds:>12.0f}{seconds * 1e3:>12.3f}{peak:>12.1f}{cpu_seconds * 1e3:>12.3f}")


if __name__ == "__main__":
    main()
