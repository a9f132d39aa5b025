#!/usr/bin/env bash
# Ratio and top-1 accuracy of the survey codecs (issue 6) on the reference models.
# Usage: tools/bench/survey-techniques.sh [OUT_DIR] [MODEL...]   (default: a temp dir; lenet300 lenet5 vgg mobilenetv2)
# Prints one tab-separated row per (model, codec spec): model, spec, onnx bytes, nnz bytes, ratio, accuracy.
set -euo pipefail
cd "$(dirname "$0")/../.."
out="${1:-$(mktemp -d)}"
shift || true
models=("${@:-lenet300 lenet5 vgg mobilenetv2}")
# shellcheck disable=SC2206
models=(${models[*]})
specs=(
  "int8" "int8:asym=true"
  "int4:block=32" "int4:block=128"
  "fp16" "bf16"
  "kmeans:bits=3" "kmeans:bits=5" "kmeans:bits=8"
  "prune:sparsity=0.5" "prune:sparsity=0.7" "prune:sparsity=0.9"
  "prune:sparsity=0.5+smartdnn" "prune:sparsity=0.7+int8"
  "smartdnn"
)
mkdir -p "$out"
printf 'model\tspec\tonnx_bytes\tnnz_bytes\tratio\taccuracy\n'
for m in "${models[@]}"; do
  base=$(./nnzip eval "models/$m.onnx" --json 2>/dev/null | sed -E 's/.*"accuracy":([0-9.]+).*/\1/')
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$m" "fp32 (original)" "$(stat -c %s "models/$m.onnx")" "-" "1.00" "$base"
  for s in "${specs[@]}"; do
    f="$out/$m.$(echo "$s" | tr -c 'a-z0-9\n' '_').nnz"
    ./nnzip compress "models/$m.onnx" -o "$f" --codec "$s" --json 2>/dev/null > "$f.json"
    acc=$(./nnzip eval "$f" --json 2>/dev/null | sed -E 's/.*"accuracy":([0-9.]+).*/\1/')
    onnx=$(stat -c %s "models/$m.onnx")
    nnz=$(stat -c %s "$f")
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$m" "$s" "$onnx" "$nnz" "$(awk -v a="$onnx" -v b="$nnz" 'BEGIN{printf "%.2f", a/b}')" "$acc"
  done
done
