#!/usr/bin/env python3
"""Checks `nnspec schema` against the spec corpus with a real JSON Schema validator.

    pip install jsonschema pyyaml
    swift build && python3 tools/check_schema.py [--nnspec .build/debug/nnspec] [--output tools/check_schema.txt]

- Every spec of specs/valid, specs/parity, specs/training, examples and the Tests fixtures that
  `nnspec validate` accepts must give 0 schema errors.
- Each `# expect-error:` of specs/invalid whose message is a schema-level one (unknown key or
  argument, wrong type, out-of-range value, unknown type, missing argument) must get at least one
  schema error on its line.
- A misspelt argument (`kernal_size` for Conv2d's `kernel_size`) must give exactly one error, at
  that key.

YAML is read as yaml-language-server and nnspec read it (YAML 1.2 core schema: `1e-3` is a
number, `yes` is text; quoted scalars are always text). An `additionalProperties` error belongs to
the key it names, as editors show it.
"""
import argparse
import glob
import json
import os
import re
import subprocess
import sys

import jsonschema
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Messages nnspec gives for what a schema can see in one value or key.
SCHEMA_LEVEL = re.compile(
    r"has no argument|unknown key|must be an integer|must be a number|must be true or false|must be one of|"
    r"must be positive|must be 0 or more|must be greater than 0|must be in \[|must be positive or -1|"
    r"unknown layer type|unknown loss|unknown optimizer|unknown scheduler|unknown data source|unknown transform|"
    r"needs '|unsupported format version|must be a list of dimensions|is larger than the limit")


class CoreLoader(yaml.SafeLoader):
    """PyYAML with the YAML 1.2 core schema's plain-scalar rules instead of YAML 1.1's."""


CoreLoader.yaml_implicit_resolvers = {}
for tag, pattern, first in [
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("tag:yaml.org,2002:int", r"^[-+]?[0-9]+$", "-+0123456789"),
    ("tag:yaml.org,2002:float", r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$", "-+.0123456789"),
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
]:
    CoreLoader.add_implicit_resolver(tag, re.compile(pattern), list(first))
CoreLoader.add_constructor("tag:yaml.org,2002:float", lambda loader, node: float(loader.construct_scalar(node)))
CoreLoader.add_constructor("tag:yaml.org,2002:int", lambda loader, node: int(loader.construct_scalar(node)))


def load(text):
    """The document as JSON values, and the line (1-based) of each value and key by path."""
    node = yaml.compose(text, Loader=CoreLoader)
    lines, key_lines, spans = {}, {}, {}

    def walk(node, path):
        lines[path] = node.start_mark.line + 1
        spans[path] = (node.start_mark.line + 1, node.end_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                key_lines[path + (key.value,)] = key.start_mark.line + 1
                walk(value, path + (key.value,))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                walk(item, path + (index,))

    walk(node, ())
    return yaml.load(text, Loader=CoreLoader), lines, key_lines, spans


def locate(error, lines, key_lines, spans):
    """The lines an error points at: a key's for an unknown key, an object's span for a missing
    key, the value's otherwise."""
    path = tuple(error.absolute_path)
    if error.validator in ("additionalProperties", "unevaluatedProperties"):
        # A missing required argument of this mapping is not reported while a key is unknown
        # (it is most likely the misspelt argument), so the error stands for the whole mapping.
        names = re.findall(r"'([^']*)'", error.message.split("(")[-1])
        first, last = spans[path]
        return {key_lines[path + (name,)] for name in names if path + (name,) in key_lines} | {("mapping", n) for n in range(first, last + 1)}, path + tuple(names[:1])
    if error.validator == "required":
        first, last = spans[path]
        return set(range(first, last + 1)), path
    if error.validator == "false" or error.schema is False:
        return {key_lines.get(path, lines[path])}, path
    return {lines[path]}, path


def errors(validator, text):
    document, lines, key_lines, spans = load(text)
    return [(error, *locate(error, lines, key_lines, spans)) for error in validator.iter_errors(document)]


def accepted(nnspec, path):
    run = subprocess.run([nnspec, "validate", path], cwd=ROOT, capture_output=True, text=True)
    return run.returncode == 0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--nnspec", default=os.path.join(ROOT, ".build/debug/nnspec"))
    parser.add_argument("--output", default=os.path.join(ROOT, "tools/check_schema.txt"))
    arguments = parser.parse_args()
    schema = json.loads(subprocess.run([arguments.nnspec, "schema"], check=True, capture_output=True, text=True).stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    report, failures = [], 0

    valid = sorted(
        p for pattern in ["specs/valid/**/*.yaml", "specs/parity/**/*.yaml", "specs/training/**/*.yaml",
                          "examples/**/*.yaml", "Tests/**/Fixtures/**/*.yaml"]
        for p in glob.glob(pattern, root_dir=ROOT, recursive=True))
    checked = 0
    for path in valid:
        if not accepted(arguments.nnspec, path):
            report.append(f"skipped (nnspec refuses it): {path}")
            continue
        checked += 1
        found = errors(validator, open(os.path.join(ROOT, path), encoding="utf-8").read())
        for error, at, where in found:
            failures += 1
            report.append(f"FAIL {path}: {'/'.join(map(str, where))}: {error.message[:200]}")
    report.append(f"valid specs nnspec accepts: {checked}, schema errors in them: "
                  f"{sum(1 for line in report if line.startswith('FAIL'))}")

    expected, matched, outside = 0, 0, 0
    for path in sorted(glob.glob("specs/invalid/*.yaml", root_dir=ROOT)):
        text = open(os.path.join(ROOT, path), encoding="utf-8", errors="replace").read()
        try:
            found = errors(validator, text)
        except yaml.YAMLError:
            report.append(f"not YAML (the schema cannot see it): {path}")
            continue
        except RecursionError:
            report.append(f"too deep for PyYAML: {path}")
            continue
        for number, line in enumerate(text.splitlines(), 1):
            for message in re.findall(r"# expect-error: ([^#]*)", line):
                # A block's arguments are the spec's own (blocks:), which one schema for every spec cannot know.
                if not SCHEMA_LEVEL.search(message) or "block:" in line:
                    outside += 1
                    continue
                expected += 1
                deferred = " needs '" in message and any(("mapping", number) in at for _, at, _ in found)
                if any(number in at for _, at, _ in found) or deferred:
                    matched += 1
                else:
                    failures += 1
                    report.append(f"FAIL {path}:{number}: no schema error for '{message.strip()}'; "
                                  f"schema errors on lines {sorted(n for _, at, _ in found for n in at if isinstance(n, int))}")
    report.append(f"schema-level expected errors in specs/invalid: {expected}, with a schema error on their line: {matched}"
                  f" (other expected errors, shape and cross-field rules the schema cannot see: {outside})")

    typo = open(os.path.join(ROOT, "examples/lenet.yaml"), encoding="utf-8").read().replace("kernel_size: 5", "kernal_size: 5", 1)
    found = errors(validator, typo)
    places = [("/".join(map(str, where)), sorted(n for n in at if isinstance(n, int))) for _, at, where in found]
    if len(found) != 1 or not places[0][0].endswith("kernal_size"):
        failures += 1
        report.append(f"FAIL kernal_size in examples/lenet.yaml: {len(found)} errors at {places}")
    report.append(f"kernal_size in examples/lenet.yaml's conv1: {len(found)} error(s) at {places}: "
                  f"{found[0][0].message if found else ''}")

    report.append("OK" if failures == 0 else f"{failures} failures")
    text = "\n".join(report) + "\n"
    open(arguments.output, "w", encoding="utf-8").write(text)
    print(text, end="")
    sys.exit(0 if failures == 0 else 1)


if __name__ == "__main__":
    main()
