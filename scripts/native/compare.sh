#!/usr/bin/env bash
# Side by side in one run: LALS (from dist/, on the binding MODEL_BINARY picks) and llama-server built from the same
# llama.cpp source (npm run build:llama-server), same GGUF, threads, slots and context per slot, then
# `npm run bench -- --compare` between them. Extra arguments go to the bench.
#   MODEL=/tmp/q06.gguf THREADS=2 SLOTS=4 CTX=2048 MODEL_BINARY=local bash scripts/native/compare.sh --levels 1,4,8 --max-tokens 64
# LALS_ENV="NAME=value …" sets more of LALS's environment only. EMBEDDINGS=1 serves MODEL as an embedding model on both
# (LALS through LALS_CONFIG as `embed`, llama-server with --embeddings) and benchmarks /v1/embeddings.
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${MODEL:?the GGUF to serve}" "${THREADS:=2}" "${SLOTS:=4}" "${CTX:=2048}" "${MODEL_BINARY:=auto}" "${LALS_PORT:=8000}" "${LLAMA_PORT:=8001}"
server=.native/llama-server/build/bin/llama-server
[ -x "$server" ] || { echo "no $server: run npm run build:llama-server" >&2; exit 1; }
[ -f dist/main.js ] || npm run --silent build
log=.native/compare-logs
mkdir -p "$log"
# LALS keeps saved prompts across restarts: a directory of this run's own, so that no prompt is warm from an earlier one.
prompts=$(mktemp -d)
extra=()
bench=()
if [ "${EMBEDDINGS:-0}" = 1 ]; then
  echo "{\"models\": [{\"id\": \"embed\", \"path\": \"$MODEL\", \"contextSize\": $CTX, \"threads\": $THREADS}]}" > "$prompts/models.json"
  export LALS_CONFIG="$prompts/models.json"
  extra=(--embeddings --pooling last -ub $((SLOTS * CTX)) -b $((SLOTS * CTX)))
  bench=(--embeddings-model embed)
fi
env ${LALS_ENV:-} MODEL_PATH="$MODEL" MODEL_BINARY="$MODEL_BINARY" MODEL_N_THREADS="$THREADS" MODEL_PARALLEL="$SLOTS" MODEL_N_CTX="$CTX" \
  MODEL_PROMPT_CACHE_DIR="$prompts" PORT="$LALS_PORT" LOG_LEVEL=warn node dist/main.js serve > "$log/lals.log" 2>&1 &
lals=$!
env -u LALS_CONFIG "$server" -m "$MODEL" -t "$THREADS" -tb "$THREADS" -np "$SLOTS" -c $((SLOTS * CTX)) "${extra[@]}" --port "$LLAMA_PORT" > "$log/llama-server.log" 2>&1 &
llama=$!
trap 'kill $lals $llama 2> /dev/null; wait 2> /dev/null; rm -rf "$prompts"' EXIT
for url in "http://127.0.0.1:$LALS_PORT/health" "http://127.0.0.1:$LLAMA_PORT/health"; do
  until curl -sf "$url" > /dev/null; do sleep 0.5; done
done
npx tsx scripts/bench.ts --base "http://127.0.0.1:$LALS_PORT" --compare "http://127.0.0.1:$LLAMA_PORT" --pid "$lals" --compare-pid "$llama" \
  --sequences "$SLOTS" --threads "$THREADS" --context "$CTX" "${bench[@]}" "$@"
