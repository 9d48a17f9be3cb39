#!/usr/bin/env bash
# Builds the libFuzzer targets and runs each for SECONDS (default 60), one after the other, then
# prints per target the executions, the coverage reached and the findings.
#
#   Fuzz/run.sh [SECONDS] [TARGET…]      targets: FuzzSpec FuzzIDX FuzzCSV FuzzSafetensors FuzzCheckpoint
#
# Each target starts from its seed corpus (make-corpus.py, into .build/seeds) and the inputs it found
# before (.build/corpus, kept between runs); a crash, leak, timeout (10 s) or memory over 2 GiB is
# saved under findings/TARGET/. Exit status: 0 with no finding, 1 with one, 77 when this toolchain
# cannot build libFuzzer targets (-sanitize=fuzzer needs Linux and a toolchain with libFuzzer).
set -uo pipefail
cd "$(dirname "$0")"
seconds=${1:-60}
shift $(( $# > 0 ? 1 : 0 ))
targets=("$@")
(( ${#targets[@]} )) || targets=(FuzzSpec FuzzIDX FuzzCSV FuzzSafetensors FuzzCheckpoint)
[[ $seconds =~ ^[1-9][0-9]*$ ]] || { echo "usage: Fuzz/run.sh [SECONDS] [TARGET…]" >&2; exit 2; }

probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
printf '@_cdecl("LLVMFuzzerTestOneInput") public func f(_ d: UnsafePointer<UInt8>?, _ n: Int) -> Int32 { 0 }\n' > "$probe/probe.swift"
if ! swiftc -parse-as-library -sanitize=fuzzer,address "$probe/probe.swift" -o "$probe/probe" >"$probe/log" 2>&1; then
  echo "fuzzing skipped: this toolchain cannot build libFuzzer targets (swiftc -sanitize=fuzzer,address failed):"
  grep -m 3 error "$probe/log"
  exit 77
fi

# -Xcc instruments the C code built from source too (libyaml, under the spec validator). The
# toolchain's lld links: the system's gold fails with an internal error on the instrumented libyaml.
mkdir -p .build/logs
printf '{"schemaVersion": "1.0", "linker": {"path": "%s/ld.lld"}}\n' "$(dirname "$(readlink -f "$(command -v swiftc)")")" >.build/toolset.json
flags=(-c release -Xswiftc -sanitize=fuzzer,address -Xcc -fsanitize=fuzzer-no-link,address --toolset .build/toolset.json)
echo "building the fuzz targets: swift build ${flags[*]} (log: Fuzz/.build/logs/build.log)"
if ! swift build "${flags[@]}" >.build/logs/build.log 2>&1; then
  grep -E "error:" .build/logs/build.log | head -20
  exit 2
fi
bin=$(swift build "${flags[@]}" --show-bin-path)
for target in "${targets[@]}"; do
  [[ -x $bin/$target ]] || { echo "no built target $target in $bin" >&2; exit 2; }
done
python3 make-corpus.py .build/seeds >/dev/null

# Swift's own crash backtracer would take a trap before libFuzzer does, and fails under ASan.
export SWIFT_BACKTRACE=enable=no
export LSAN_OPTIONS="suppressions=$PWD/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
status=0
rows=()
for target in "${targets[@]}"; do
  mkdir -p ".build/corpus/$target" "findings/$target"
  dictionary=".build/$target.dict"
  words=("dictionaries/$target.dict")
  [[ $target == FuzzCheckpoint ]] && words+=(dictionaries/FuzzSafetensors.dict)
  cat "${words[@]}" >"$dictionary"
  log=".build/logs/$target.log"
  echo "running $target for ${seconds} s (log: Fuzz/$log)"
  "$bin/$target" ".build/corpus/$target" ".build/seeds/$target" -dict="$dictionary" -max_total_time="$seconds" \
    -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="findings/$target/" >"$log" 2>&1
  code=$?
  executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log" | tail -1)
  last=$(grep -E '^#[0-9]+.*cov: ' "$log" | tail -1)
  coverage=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
  features=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
  finding=$(sed -n 's/.*Test unit written to \(.*\)/Fuzz\/\1/p' "$log" | head -1)
  if (( code != 0 )) || [[ -n $finding ]]; then
    status=1
    grep -m 1 -E "ERROR: |Fatal error|invariant broken|deadly signal|timeout|out-of-memory" "$log" | sed "s/^/  $target: /"
  fi
  rows+=("$(printf '%-16s %12s %8s %9s %9s %8s  %s' "$target" "${executions:-?}" "${rate:-?}" "${coverage:-?}" \
    "${features:-?}" "${rss:-?}" "${finding:-$( ((code)) && echo "exit $code, see the log" || echo none)}")")
done
printf '%-16s %12s %8s %9s %9s %8s  %s\n' target executions exec/s coverage features "RSS MB" findings
printf '%s\n' "${rows[@]}"
exit $status
