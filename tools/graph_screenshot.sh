#!/usr/bin/env bash
# Screenshots the diagram `nnspec graph` draws of a spec, in headless Chromium at the SVG's own size,
# to look at what a browser shows (the report's diagram is the same SVG: tools/report_screenshot.sh).
#
#   tools/graph_screenshot.sh SPEC OUT.png [GRAPH OPTION…]    # e.g. --depth 2
#
# Uses .build/debug/nnspec (NNSPEC=… for another) and Debian's chromium (`apt-get install -y
# chromium`), with networking off. The window is the SVG's width × height, at most 9,000 pixels tall.
set -euo pipefail
[ $# -ge 2 ] || { sed -n '2,8p' "$0" >&2; exit 2; }
spec=$1 out=$2
shift 2
nnspec=${NNSPEC:-$(dirname "$0")/../.build/debug/nnspec}
[ -x "$nnspec" ] || { echo "no nnspec at $nnspec: swift build first" >&2; exit 2; }
browser=$(command -v chromium || command -v chromium-browser || true)
[ -n "$browser" ] || { echo "no chromium: apt-get install -y chromium" >&2; exit 2; }
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
"$nnspec" graph "$spec" --output "$scratch/graph.svg" "$@" >/dev/null
size=$(grep -o '<svg [^>]*' "$scratch/graph.svg" | head -1)
width=$(sed -E 's/.* width="([0-9]+).*/\1/' <<<"$size")
height=$(sed -E 's/.* height="([0-9]+).*/\1/' <<<"$size")
height=$((height > 9000 ? 9000 : height))
"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$scratch/profile" \
  --proxy-server=127.0.0.1:9 --window-size="$width,$height" \
  --screenshot="$(realpath -m "$out")" "file://$scratch/graph.svg" 2>/dev/null
echo "$out: $width × $height of $spec"
