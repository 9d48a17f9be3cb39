#!/usr/bin/env bash
# Screenshots an nnspec HTML report (or any page nnspec writes) in headless Chromium, to look at
# what a browser shows.
#
#   tools/report_screenshot.sh REPORT_DIR_OR_HTML OUT.png [WIDTH] [HEIGHT]    # defaults: 1400 × 2400
#
# Needs Debian's chromium (`apt-get install -y chromium`). The page is opened from a file:// URL with
# networking off, so a page that fetched anything would show it missing.
set -euo pipefail
[ $# -ge 2 ] || { sed -n '2,7p' "$0" >&2; exit 2; }
page=$1
[ -d "$page" ] && page=$page/index.html
[ -f "$page" ] || { echo "no page at $page" >&2; exit 2; }
out=$2 width=${3:-1400} height=${4:-2400}
browser=$(command -v chromium || command -v chromium-browser || true)
[ -n "$browser" ] || { echo "no chromium: apt-get install -y chromium" >&2; exit 2; }
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$profile" \
  --proxy-server=127.0.0.1:9 --window-size="$width,$height" \
  --screenshot="$(realpath -m "$out")" "file://$(realpath "$page")" 2>/dev/null
echo "$out: $width × $height of $page"
