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
        | awk '$1 ~ /^[0-9]+$/ { print "nnspec", $1, $2 }' >>"$results"
    python3 bench/pytorch_lenet.py --threads "$threads" --batch-sizes "$batch_sizes" \
        | awk '$1 ~ /^[0-9]+$/ { print "pytorch", $1, $2 }' >>"$results"
done

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
echo "LeNet-5 training, $threads thread(s), median images/s of $runs runs ($(nproc) CPUs, load: $(cut -d' ' -f1-3 /proc/loadavg))"
printf "%8s %18s %18s %8s\n" batch "PyTorch images/s" "nnspec images/s" ratio
for batch in ${batch_sizes//,/ }; do
    torch=$(awk -v b="$batch" '$1 == "pytorch" && $2 == b { print $3 }' "$results" | median)
    ours=$(awk -v b="$batch" '$1 == "nnspec" && $2 == b { print $3 }' "$results" | median)
    printf "%8s %18.0f %18.0f %7.2fx\n" "$batch" "$torch" "$ours" "$(awk -v a="$ours" -v b="$torch" 'BEGIN { print a / b }')"
done
