#!/usr/bin/env bash
# SIGKILLs `nnspec train --checkpoint-every 1` at random instants, resumes each killed run, and checks
# that no checkpoint is corrupt, no log row is lost and every resumed run ends bit-identical to an
# uninterrupted one (the same step rows of --log, the same --save bytes).
#
#   tools/kill_resume_check.sh [KILLS] [NNSPEC]     # defaults: 50 kills, .build/release/nnspec
#
# Prints one line per kill and the counts; exits 1 if any check failed.
set -uo pipefail
cd "$(dirname "$0")/.."
kills=${1:-50}
nnspec=${2:-.build/release/nnspec}
[ -x "$nnspec" ] || { echo "no executable $nnspec: swift build -c release first, or pass its path" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# A small network with Adam state, a scheduler and a dropout generator: all restored by --resume.
spec=tools/kill_resume_check.yaml

train() { "$nnspec" train "$spec" --quiet "$@"; }
step_rows() { grep ',,$' "$1"; }

start=$(date +%s%N)
train --log "$work/ref.csv" --save "$work/ref.safetensors" --checkpoint-dir "$work/ref" --checkpoint-every 1 >/dev/null \
  || { echo "the uninterrupted run failed" >&2; exit 1; }
duration_ms=$(( ($(date +%s%N) - start) / 1000000 ))
echo "uninterrupted run: $(step_rows "$work/ref.csv" | wc -l) steps in $duration_ms ms; killing at random instants in it"

corrupt=0 lost=0 differing=0 identical=0 no_checkpoint=0 leftovers=0
for i in $(seq 1 "$kills"); do
  run="$work/run"
  rm -rf "$run" && mkdir -p "$run"
  # Started directly (not through the function), so that $! is nnspec itself.
  "$nnspec" train "$spec" --quiet --log "$run/log.csv" --save "$run/out.safetensors" \
    --checkpoint-dir "$run/ck" --checkpoint-every 1 >/dev/null 2>&1 &
  pid=$!
  sleep "$(awk -v r="$RANDOM" -v d="$duration_ms" 'BEGIN { printf "%.3f", r / 32768 * d / 1000 }')"
  kill -KILL "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  leftovers=$(( leftovers + $(find "$run" -name '.*.tmp.*' | wc -l) ))
  if [ -f "$run/ck/checkpoint.safetensors" ]; then
    step=$(python3 -c 'import json,struct,sys; f=open(sys.argv[1],"rb"); n=struct.unpack("<Q",f.read(8))[0]; print(json.loads(f.read(n))["__metadata__"]["step"])' "$run/ck/checkpoint.safetensors" 2>/dev/null)
    rows=$(step_rows "$run/log.csv" 2>/dev/null | wc -l)
    if [ -z "$step" ]; then
      corrupt=$((corrupt + 1)); echo "kill $i: corrupt checkpoint"; continue
    fi
    # Every step the checkpoint holds must be in the log before resuming.
    [ "$rows" -ge "$step" ] || { lost=$((lost + 1)); echo "kill $i: checkpoint at step $step, log has $rows rows"; }
    if ! train --resume "$run/ck" --log "$run/log.csv" --save "$run/out.safetensors" >/dev/null 2>"$run/err"; then
      grep -q 'damaged\|not a readable' "$run/err" && corrupt=$((corrupt + 1))
      echo "kill $i: resume from step $step failed: $(head -c 300 "$run/err")"; continue
    fi
    what="resumed from step $step"
  else
    no_checkpoint=$((no_checkpoint + 1))
    train --log "$run/log.csv" --save "$run/out.safetensors" >/dev/null 2>&1
    what="no checkpoint yet, run again"
  fi
  if diff -q <(step_rows "$work/ref.csv") <(step_rows "$run/log.csv") >/dev/null && cmp -s "$work/ref.safetensors" "$run/out.safetensors"; then
    identical=$((identical + 1)); echo "kill $i: $what: identical"
  else
    differing=$((differing + 1)); echo "kill $i: $what: DIFFERS from the uninterrupted run"
  fi
done
echo "kills: $kills; before the first checkpoint: $no_checkpoint; corrupt checkpoints: $corrupt;" \
     "checkpoints ahead of the log: $lost; bit-identical finishes: $identical; differing: $differing;" \
     "temporary files left by kills: $leftovers"
[ $corrupt -eq 0 ] && [ $lost -eq 0 ] && [ $differing -eq 0 ]
