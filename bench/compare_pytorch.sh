#!/usr/bin/env bash
# Training speed of a spec's network, nnspec against PyTorch on this machine, in one run.
#
# Both sides train the same network, PyTorch's built by `nnspec export --to pytorch`, with
# CrossEntropyLoss and SGD (lr 0.01, momentum 0.9) on random data (token ids for a network that
# starts with an Embedding), with the same timing protocol (warm-up, then the median of timed
# repeats). The two alternate RUNS times; the table gives the median images/s of each side per batch
# size and their ratio, the CPU time per step, the peak memory, and each side's share of the machine's
# FMA peak (nnspec bench's probe over THREADS threads: the network's FLOPs per image × images/s).
#
# Needs Python 3 with torch: `pip install torch`.
# Usage: bench/compare_pytorch.sh [SPEC=examples/lenet.yaml] [THREADS=2] [RUNS=3] [BATCH_SIZES=1,16,64,256]
set -euo pipefail
spec=${1:-examples/lenet.yaml}
threads=${2:-2}
runs=${3:-3}
batch_sizes=${4:-1,16,64,256}
cd "$(dirname "$0")/.."

if ! python3 -c "import torch" 2>/dev/null; then
    echo "compare_pytorch.sh needs PyTorch: pip install torch" >&2
    exit 1
fi
source bench/compare_common.sh
export_network "$spec"
# The network's name, one sample's input and output shapes and the vocabulary of a first Embedding.
read -r name sample output tokens < <("$nnspec" summary "$spec" --format json | python3 -c '
import json, sys
network = json.load(sys.stdin)["network"]
first = network["layers"][0] if network["layers"] else {}
tokens = next(iter(first["named_parameters"].values()))[0] if first.get("type") == "Embedding" else 0
sizes = lambda shape: ",".join(str(size) for size in shape[1:])
print(network["name"], sizes(network["input"]), sizes(network["output"]), tokens)')

results="$scratch/results"
for run in $(seq "$runs"); do
    echo "run $run/$runs" >&2
    # Rows: SIDE BATCH IMAGES/S CPU-MS MIB [% PEAK]; and "peak 0 GFLOP/S MFLOP-PER-IMAGE" from bench's header.
    "$nnspec" bench "$spec" --threads "$threads" --batch-sizes "$batch_sizes" \
        | awk '/FMA probe/ { for (i = 2; i < NF; i++) { if ($i == "peak") peak = $(i + 1); if ($(i + 1) == "MFLOP") flop = $i }
                             print "peak", 0, peak, flop }
               $1 ~ /^[0-9]+$/ { print "nnspec", $1, $2, $7, $6, $5 }' >>"$results"
    python3 bench/pytorch_step.py --model "$scratch/export/model.py" --class-name "$name" --input "$sample" \
        --output "$output" --tokens "$tokens" --threads "$threads" --batch-sizes "$batch_sizes" \
        | awk '$1 ~ /^[0-9]+$/ { print "pytorch", $1, $2, $5, $4 }' >>"$results"
done

echo "$spec ($name) training, $threads thread(s), medians of $runs runs ($(nproc) CPUs, load: $(cut -d' ' -f1-3 /proc/loadavg))"
echo "images/s is wall-clock; CPU ms/step is the process's CPU time per step (all threads): on a machine"
echo "shared with other work, wall time includes waiting for a core, CPU time does not."
peak=$(column peak 0 3); flop=$(column peak 0 4)
echo "% peak: the share of $peak GFLOP/s (the FMA probe on $threads thread(s), median) that $flop MFLOP per image per step makes."
printf "%6s %12s %12s %7s %14s %14s %7s %11s %11s %14s %13s\n" batch "PyTorch im/s" "nnspec im/s" ratio \
    "PyTorch cpu ms" "nnspec cpu ms" ratio "PyTorch MiB" "nnspec MiB" "PyTorch % peak" "nnspec % peak"
for batch in ${batch_sizes//,/ }; do
    torch=$(column pytorch "$batch" 3); ours=$(column nnspec "$batch" 3)
    torch_cpu=$(column pytorch "$batch" 4); ours_cpu=$(column nnspec "$batch" 4)
    printf "%6s %12.0f %12.0f %7s %14.3f %14.3f %7s %11.0f %11.0f %14.1f %13.1f\n" "$batch" "$torch" "$ours" "$(ratio "$ours" "$torch")" \
        "$torch_cpu" "$ours_cpu" "$(ratio "$torch_cpu" "$ours_cpu")" "$(column pytorch "$batch" 5)" "$(column nnspec "$batch" 5)" \
        "$(awk -v images="$torch" -v flop="$flop" -v peak="$peak" 'BEGIN { print images * flop / 1000 / peak * 100 }')" \
        "$(column nnspec "$batch" 6)"
done
