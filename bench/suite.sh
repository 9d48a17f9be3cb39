#!/usr/bin/env bash
# The performance suite: every network of it, nnspec against PyTorch in one run (bench/compare_pytorch.sh
# for each, two threads, batch 16 and 64), then one table of the ratios.
#
# The suite: LeNet, the MLP, the VGG and ResNet examples, MobileNetV2 and ResNet-18 (torchvision's, at
# 64×64 to keep the run short), the M5 audio network, and the names LSTM and transformer. Each spec is
# copied into a scratch directory without its data and expect blocks (bench reads only its layers, and
# the export then writes model.py alone), its input resized where the suite says.
#
# Specs given after RUNS and BATCH_SIZES replace the suite (at their own input shapes): for instance
# every example and test network, to see that the speed holds beyond the suite
# (`bench/suite.sh 1 16,64 examples/*.yaml specs/parity/*.yaml specs/valid/*.yaml`).
#
# Needs Python 3 with torch and pyyaml. Usage: bench/suite.sh [RUNS=3] [BATCH_SIZES=16,64] [SPEC…]
set -euo pipefail
runs=${1:-3}
batch_sizes=${2:-16,64}
shift $(( $# < 2 ? $# : 2 ))
cd "$(dirname "$0")/.."
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

# SPEC [INPUT]: INPUT, when given, replaces the spec's input shape (comma-separated, without N).
suite=(
    "examples/lenet.yaml"
    "examples/mlp.yaml"
    "examples/vgg.yaml"
    "examples/resnet.yaml"
    "examples/mobilenet_v2.yaml 3,64,64"
    "examples/resnet18.yaml 3,64,64"
    "specs/parity/m5-signals.yaml"
    "examples/names-lstm.yaml"
    "examples/names-transformer.yaml"
)
if (( $# > 0 )); then suite=("$@"); fi

layers_only() {  # SPEC [INPUT] → the path of a copy without data and expect, with INPUT if given
    local copy="$scratch/$(basename "$1" .yaml)${2:+-$(tr , x <<<"$2")}.yaml"
    python3 - "$1" "${2:-}" "$copy" <<'PYTHON'
import sys, yaml
spec = yaml.safe_load(open(sys.argv[1]))
if sys.argv[2]:
    spec["input"] = ["N"] + [int(size) for size in sys.argv[2].split(",")]
for key in ("data", "expect"):
    spec.pop(key, None)
yaml.safe_dump(spec, open(sys.argv[3], "w"), sort_keys=False)
PYTHON
    echo "$copy"
}

summary="$scratch/summary"
for entry in "${suite[@]}"; do
    read -r spec input <<<"$entry"
    copy=$(layers_only "$spec" "${input:-}")
    echo "== $spec${input:+ at $input}"
    bench/compare_pytorch.sh "$copy" 2 "$runs" "$batch_sizes" >"$scratch/table"
    cat "$scratch/table"
    awk -v spec="$(basename "$copy" .yaml)" '$1 ~ /^[0-9]+$/ { print spec, $1, $2, $3, $4, $11 }' "$scratch/table" >>"$summary"
done
echo
echo "suite: 2 threads, medians of $runs runs each ($(nproc) CPUs, load at the end: $(cut -d' ' -f1-3 /proc/loadavg))"
printf "%-28s %6s %12s %12s %7s %13s\n" network batch "PyTorch im/s" "nnspec im/s" ratio "nnspec % peak"
awk '{ printf "%-28s %6s %12s %12s %7s %13s\n", $1, $2, $3, $4, $5, $6 }' "$summary"
