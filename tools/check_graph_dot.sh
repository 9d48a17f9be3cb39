#!/usr/bin/env bash
# Checks that `nnspec graph --format dot` is valid Graphviz: every valid spec of the corpus and the
# examples is drawn as DOT and laid out by Graphviz's `dot -Tsvg`, which must neither fail nor warn.
#
#   tools/check_graph_dot.sh [NNSPEC] [SPEC…]    # defaults: .build/debug/nnspec, specs/valid examples specs/parity
#
# Needs Graphviz (`apt-get install -y graphviz`); nnspec itself never runs it.
set -euo pipefail
cd "$(dirname "$0")/.."
nnspec=${1:-.build/debug/nnspec}
shift || true
command -v dot >/dev/null || { echo "no dot: apt-get install -y graphviz" >&2; exit 2; }
[ -x "$nnspec" ] || { echo "no nnspec at $nnspec: swift build first" >&2; exit 2; }
if [ $# -eq 0 ]; then set -- specs/valid/*.yaml examples/*.yaml specs/parity/*.yaml; fi
checked=0 failed=0
for spec in "$@"; do
  dot_text=$("$nnspec" graph "$spec" --format dot 2>/dev/null) || continue  # an invalid spec has no diagram
  if messages=$(printf '%s' "$dot_text" | dot -Tsvg 2>&1 >/dev/null) && [ -z "$messages" ]; then
    checked=$((checked + 1))
  else
    failed=$((failed + 1))
    echo "$spec: dot -Tsvg: ${messages:-failed}" >&2
  fi
done
echo "$checked specs laid out by dot without a message, $failed failed"
[ "$failed" -eq 0 ]
