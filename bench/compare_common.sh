# Shared by bench/compare_pytorch.sh and bench/compare_onnxruntime.sh (sourced): the medians of the
# alternating runs' rows in "$results" (lines: SIDE BATCH VALUE…) and the ratio of two of them.

# The median of the numbers on standard input.
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# column SIDE BATCH FIELD: the median of field FIELD over SIDE's rows for BATCH.
column() { awk -v side="$1" -v b="$2" -v f="$3" '$1 == side && $2 == b { print $f }' "$results" | median; }
# ratio A B: A / B as "1.23x".
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", a / b }'; }
