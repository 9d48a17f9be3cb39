#!/usr/bin/env python3
"""Checks that the examples print as the PyTorch code they transcribe: for each pair below, the
network tools/torch_print.py builds from the spec and the original class print the same
`print(net)` and name the same parameters with the same shapes; exits 1 with a diff otherwise.

    pip install torch pyyaml && python3 tools/check_example_prints.py

The spec side is the fixture Tests/NNRunTests/Fixtures/torch-print/<spec>.txt that the Swift test
SpecCorpusBuildTests compares nnspec's own print with, so the chain is checked end to end.
"""
import difflib
import pathlib
import sys

from torch_print import reference_text

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "Tests" / "Reference"))
from make_reference import Net as TutorialNet  # noqa: E402  the tutorial's class, verbatim


def text(net, name):
    """`print(net)` with the class renamed as the spec names it, then `name : [sizes]` per parameter and buffer."""
    printed = str(net).replace(type(net).__name__ + "(", name + "(", 1)
    lines = [printed]
    lines += [f"{key} : {list(tensor.shape)}" for key, tensor in net.named_parameters()]
    lines += [f"{key} : {list(tensor.shape)}" for key, tensor in net.named_buffers()]
    return "\n".join(lines) + "\n"


EXAMPLES = [("examples/lenet.yaml", "Net", TutorialNet)]


def main():
    failures = 0
    for spec, name, make in EXAMPLES:
        expected = text(make(), name)
        got = reference_text(ROOT / spec)
        if got != expected:
            failures += 1
            sys.stdout.writelines(difflib.unified_diff(expected.splitlines(True), got.splitlines(True), "pytorch", spec))
        else:
            print(f"same: {spec} and {make.__name__}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
