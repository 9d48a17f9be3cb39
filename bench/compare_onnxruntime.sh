#!/usr/bin/env bash
# Inference speed of a spec's network, `nnspec predict`'s forward pass against onnxruntime running
# nnspec's own ONNX export of the same network, in one run.
#
# nnspec's side is `nnspec bench --inference` (evaluation mode, no graph, as predict runs it); the
# other is bench/onnxruntime_forward.py on `nnspec export --to onnx` of the same weights (PyTorch's
# initial ones, from the exported model.py), both with THREADS threads on random inputs and the same
# timing protocol. The two alternate RUNS times; the table gives the median latency per batch of each
# side and their ratio (above 1: nnspec is faster).
#
# Needs Python 3 with torch, safetensors, onnxruntime and numpy.
# Usage: bench/compare_onnxruntime.sh [SPEC=examples/lenet.yaml] [THREADS=2] [RUNS=3] [BATCH_SIZES=1]
set -euo pipefail
spec=${1:-examples/lenet.yaml}
threads=${2:-2}
runs=${3:-3}
batch_sizes=${4:-1}
cd "$(dirname "$0")/.."

if ! python3 -c "import torch, safetensors, onnxruntime" 2>/dev/null; then
    echo "compare_onnxruntime.sh needs torch, safetensors and onnxruntime: pip install torch safetensors onnxruntime" >&2
    exit 1
fi
source bench/compare_common.sh
export_network "$spec"
read -r name tokens < <("$nnspec" summary "$spec" --format json | python3 -c '
import json, sys
network = json.load(sys.stdin)["network"]
first = network["layers"][0] if network["layers"] else {}
tokens = next(iter(first["named_parameters"].values()))[0] if first.get("type") == "Embedding" else 0
print(network["name"], tokens)')
(cd "$scratch/export" && python3 -c "
import torch
from safetensors.torch import save_file
from model import $name
torch.manual_seed(0)
save_file({k: v.clone() for k, v in $name().state_dict().items()}, '$scratch/weights.safetensors')")
"$nnspec" export "$spec" --to onnx --weights "$scratch/weights.safetensors" --output "$scratch/model.onnx" >/dev/null

results="$scratch/results"
for run in $(seq "$runs"); do
    echo "run $run/$runs" >&2
    "$nnspec" bench "$spec" --inference --threads "$threads" --batch-sizes "$batch_sizes" \
        | awk '$1 ~ /^[0-9]+$/ { print "nnspec", $1, $3, $7 }' >>"$results"
    python3 bench/onnxruntime_forward.py --model "$scratch/model.onnx" --tokens "$tokens" --threads "$threads" \
        --batch-sizes "$batch_sizes" | awk '$1 ~ /^[0-9]+$/ { print "onnxruntime", $1, $3, $5 }' >>"$results"
done

echo "$spec ($name) inference, $threads thread(s), medians of $runs runs ($(nproc) CPUs, load: $(cut -d' ' -f1-3 /proc/loadavg))"
echo "ms per forward pass (wall); CPU ms is the process's CPU time per pass (all threads)."
printf "%6s %15s %10s %7s %19s %14s\n" batch "onnxruntime ms" "nnspec ms" ratio "onnxruntime cpu ms" "nnspec cpu ms"
for batch in ${batch_sizes//,/ }; do
    theirs=$(column onnxruntime "$batch" 3); ours=$(column nnspec "$batch" 3)
    printf "%6s %15.4f %10.4f %7s %19.4f %14.4f\n" "$batch" "$theirs" "$ours" "$(ratio "$theirs" "$ours")" \
        "$(column onnxruntime "$batch" 4)" "$(column nnspec "$batch" 4)"
done
