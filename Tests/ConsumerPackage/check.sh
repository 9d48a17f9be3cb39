#!/usr/bin/env bash
# Proves that nnspec's library products work in another package: copies the working tree's files
# (tracked and new, not ignored) into a temporary git repository tagged 0.0.0, copies this consumer
# package beside it, and there builds the consumer with nnspec fetched from that repository's
# file:// URL, as a published package is fetched (SwiftPM refuses a fetched product whose targets
# carry unsafe build flags). Then runs ConsumerCheck on a valid and an invalid spec and the
# consumer's tests. Exits non-zero on the first failure. Usage: Tests/ConsumerPackage/check.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

mkdir "$work/nnspec"
(cd "$root" && git ls-files -z --cached --others --exclude-standard \
  | while IFS= read -r -d '' file; do [[ -e "$file" ]] && printf '%s\0' "$file"; done \
  | xargs -0 cp --parents -t "$work/nnspec")
git -C "$work/nnspec" init -q
git -C "$work/nnspec" add -A
git -C "$work/nnspec" -c user.name=check -c user.email=check@localhost commit -q -m "working tree"
git -C "$work/nnspec" tag 0.0.0
cp -R "$root/Tests/ConsumerPackage" "$work/consumer"
rm -rf "$work/consumer/.build"

export NNSPEC_PACKAGE_URL="file://$work/nnspec"
cd "$work/consumer"
swift build --build-tests
swift run ConsumerCheck "$root/examples/lenet.yaml"
status=0
swift run ConsumerCheck "$root/specs/invalid/add-shapes.yaml" > "$work/invalid.txt" || status=$?
cat "$work/invalid.txt"
if (( status != 1 )) || ! grep -q "add-shapes.yaml:[0-9]*:[0-9]*: error" "$work/invalid.txt"; then
  echo "ConsumerCheck: an invalid spec must exit 1 with its diagnostics (exit $status)"
  exit 1
fi
swift test --skip-build
echo "consumer package: built against nnspec fetched from a URL, ran ConsumerCheck and its tests"
