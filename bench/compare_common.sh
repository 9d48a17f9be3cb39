# Shared by bench/compare_pytorch.sh and bench/compare_onnxruntime.sh (sourced from the repository's
# root): the release build and the spec's export, then the medians of the alternating runs' rows in
# "$results" (lines: SIDE BATCH VALUE…) and the ratio of two of them.

# export_network SPEC: builds the release nnspec ($nnspec), makes a scratch directory ($scratch,
# removed on exit) and writes SPEC's network there as PyTorch code ($scratch/export).
export_network() {
    swift build -c release --product nnspec >/dev/null
    nnspec=.build/release/nnspec
    scratch=$(mktemp -d)
    trap 'rm -rf "$scratch"' EXIT
    "$nnspec" export "$1" --to pytorch --output "$scratch/export" >/dev/null
}

# The median of the numbers on standard input.
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# column SIDE BATCH FIELD: the median of field FIELD over SIDE's rows for BATCH.
column() { awk -v side="$1" -v b="$2" -v f="$3" '$1 == side && $2 == b { print $f }' "$results" | median; }
# ratio A B: A / B as "1.23x".
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", a / b }'; }
