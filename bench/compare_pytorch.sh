#!/usr/bin/env bash
# LeNet-5 training speed, nnspec against PyTorch on this machine, in one run.
#
# Both sides train the same network (examples/lenet.yaml = bench/pytorch_lenet.py's Net) with
# CrossEntropyLoss and SGD (lr 0.01, momentum 0.9) on random data, with the same timing protocol
# (warm-up, then the median of timed repeats). The two alternate RUNS times; the table gives the
# median images/s of each side per batch size and their ratio.
#
# Needs Python 3 with torch: `pip install torch`.
# Usage: bench/compare_pytorch.sh [THREADS=2] [RUNS=3] [BATCH_SIZES=1,16,64,256]
set -euo pipefail
threads=${1:-2}
runs=${2:-3}
batch_sizes=${3:-1,16,64,256}
cd "$(dirname "$0")/.."

if ! python3 -c "import torch" 2>/dev/null; then
    echo "compare_pytorch.sh needs PyTorch: pip install torch" >&2
    exit 1
fi
swift build -c release --product nnspec >/dev/null

results=$(mktemp)
trap 'rm -f "$results"' EXIT
for run in $(seq "$runs"); do
    echo "run $run/$runs" >&2
    .build/release/nnspec bench examples/lenet.yaml --threads "$threads" --batch-sizes "$batch_sizes" \
        | awk '$1 ~ /^[0-9]+$/ { print "nnspec", $1, $2, $7, $6 }' >>"$results"
    python3 bench/pytorch_lenet.py --threads "$threads" --batch-sizes "$batch_sizes" \
        | awk '$1 ~ /^[0-9]+$/ { print "pytorch", $1, $2, $6, $5 }' >>"$results"
done

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
column() { awk -v side="$1" -v b="$2" -v f="$3" '$1 == side && $2 == b { print $f }' "$results" | median; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", a / b }'; }
echo "LeNet-5 training, $threads thread(s), medians of $runs runs ($(nproc) CPUs, load: $(cut -d' ' -f1-3 /proc/loadavg))"
echo "images/s is wall-clock; CPU ms/step is the process's CPU time per step (all threads): on a machine"
echo "shared with other work, wall time includes waiting for a core, CPU time does not."
printf "%6s %12s %12s %7s %14s %14s %7s %11s %11s\n" batch "PyTorch im/s" "nnspec im/s" ratio \
    "PyTorch cpu ms" "nnspec cpu ms" ratio "PyTorch MiB" "nnspec MiB"
for batch in ${batch_sizes//,/ }; do
    torch=$(column pytorch "$batch" 3); ours=$(column nnspec "$batch" 3)
    torch_cpu=$(column pytorch "$batch" 4); ours_cpu=$(column nnspec "$batch" 4)
    printf "%6s %12.0f %12.0f %7s %14.3f %14.3f %7s %11.0f %11.0f\n" "$batch" "$torch" "$ours" "$(ratio "$ours" "$torch")" \
        "$torch_cpu" "$ours_cpu" "$(ratio "$torch_cpu" "$ours_cpu")" "$(column pytorch "$batch" 5)" "$(column nnspec "$batch" 5)"
done
