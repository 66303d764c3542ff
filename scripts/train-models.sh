#!/usr/bin/env bash
# Trains the shipped models of assets/models on assets/data/tinyshakespeare.txt with the same
# budget (2400 steps of 8 x 256 tokens, 4.9M tokens) and seed (1), each data-parallel over 2
# worker threads, PARALLEL (default 2) at a time. Each model runs in its own session (setsid),
# i.e. its own scheduler autogroup, like any other job on the shared machine.
# Logs: /tmp/train-<name>.log. Models: $OUT/<name> (default /tmp/llama-models), then copied into
# assets/models/<name>. Usage: scripts/train-models.sh [name ...] (default: all six, main first).
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=assets/data/tinyshakespeare.txt
if [ ! -f "$DATA" ]; then
  echo "train-models: $DATA not found (the corpus is not part of the repository)" >&2
  exit 2
fi
names=("$@")
[ ${#names[@]} -eq 0 ] && names=(main layernorm gelu-mlp mha mqa nope)
OUT=${OUT:-/tmp/llama-models}
PARALLEL=${PARALLEL:-2}
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
running=0
for name in "${names[@]}"; do
  if [ "$running" -ge "$PARALLEL" ]; then
    wait -n || echo "train-models: a run failed (see its log in /tmp)" >&2
    running=$((running - 1))
  fi
  setsid bash -c 'set -euo pipefail; run "$0"' "$name" &
  running=$((running + 1))
done
wait
