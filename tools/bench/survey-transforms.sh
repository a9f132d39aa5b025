#!/usr/bin/env bash
# Ratio and top-1 accuracy of the graph transforms of issue 6 (low rank, filter pruning), alone (weights stored
# losslessly) and composed with a codec. Usage: tools/bench/survey-transforms.sh [OUT_DIR] [MODEL...]
# Prints one tab-separated row per (model, transform, codec): model, transform, codec, onnx bytes, nnz bytes, ratio, accuracy.
set -euo pipefail
cd "$(dirname "$0")/../.."
out="${1:-$(mktemp -d)}"
shift || true
models=("${@:-lenet300 lenet5 vgg mobilenetv2}")
# shellcheck disable=SC2206
models=(${models[*]})
runs=(
  "lowrank:energy=0.99|lossless" "lowrank:energy=0.95|lossless" "lowrank:energy=0.9|lossless"
  "lowrank:energy=0.95|uniform"
  "filters:sparsity=0.25|lossless" "filters:sparsity=0.5|lossless"
  "filters:sparsity=0.25|smartdnn"
)
mkdir -p "$out"
printf 'model\ttransform\tcodec\tonnx_bytes\tnnz_bytes\tratio\taccuracy\n'
for m in "${models[@]}"; do
  for run in "${runs[@]}"; do
    t="${run%%|*}"
    c="${run##*|}"
    f="$out/$m.$(echo "$t.$c" | tr -c 'a-z0-9\n' '_').nnz"
    if ! ./nnzip compress "models/$m.onnx" -o "$f" --transform "$t" --codec "$c" --json 2>"$f.log" > "$f.json"; then
      printf '%s\t%s\t%s\t-\t-\t-\tfailed\n' "$m" "$t" "$c"
      continue
    fi
    acc=$(./nnzip eval "$f" --json 2>/dev/null | sed -E 's/.*"accuracy":([0-9.]+).*/\1/')
    onnx=$(stat -c %s "models/$m.onnx")
    nnz=$(stat -c %s "$f")
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$m" "$t" "$c" "$onnx" "$nnz" \
      "$(awk -v a="$onnx" -v b="$nnz" 'BEGIN{printf "%.2f", a/b}')" "$acc"
  done
done
