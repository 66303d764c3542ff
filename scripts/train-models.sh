#!/usr/bin/env bash
# Trains the shipped models of assets/models on ../shared/data/tinyshakespeare.txt, two at a time
# (each data-parallel over 2 worker threads), with the same budget (1200 steps of 8 x 256 tokens)
# and seed. Logs go to /tmp/train-<name>.log, models to $OUT/<name> (default /tmp/llama-models) and
# then into assets/models/<name>. Usage: scripts/train-models.sh [name ...]
# (default: all six, main first).
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=../shared/data/tinyshakespeare.txt
if [ ! -f "$DATA" ]; then
  echo "train-models: $DATA not found (the corpus is not part of the repository)" >&2
  exit 2
fi
names=("$@")
[ ${#names[@]} -eq 0 ] && names=(main layernorm gelu-mlp mha mqa nope)
OUT=${OUT:-/tmp/llama-models}
run() {
  # train outside the repository (intermediate checkpoints are written at every validation), then
  # copy the finished files into assets/models/<name>
  npm run --silent train -- --data "$DATA" --config "scripts/train/$1.json" --out "$OUT/$1" \
    > "/tmp/train-$1.log" 2>&1
  mkdir -p "assets/models/$1"
  cp "$OUT/$1"/{model.bin,model.json,tokenizer.bin,curve.json,meta.json,samples.txt} "assets/models/$1/"
}
export -f run
export DATA OUT
# Each model runs in its own session (setsid), i.e. its own scheduler autogroup, like any other job
# on the shared machine; two at a time.
for ((i = 0; i < ${#names[@]}; i += 2)); do
  setsid bash -c 'run "$0"' "${names[i]}" &
  first=$!
  if [ $((i + 1)) -lt ${#names[@]} ]; then setsid bash -c 'run "$0"' "${names[i + 1]}" & wait $!; fi
  wait "$first"
done
