#!/usr/bin/env bash
# CI's short benchmark of the native fast path: LALS on the local build against LALS on the prebuilt binaries, side by
# side in one run (`npm run bench -- --compare`), on the tiny fixture (the per-token path) with 1 thread and 4 slots.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -f dist/main.js ] || npm run --silent build
work=$(mktemp -d)
model=${MODEL:-$work/tiny.gguf}
[ -n "${MODEL:-}" ] || node dist/main.js fixture "$model" > /dev/null
serve() { # binding port
  mkdir -p "$work/prompts-$1"
  MODEL_PATH="$model" MODEL_BINARY="$1" MODEL_N_THREADS="${THREADS:-1}" MODEL_PARALLEL=4 MODEL_N_CTX=2048 \
    MODEL_PROMPT_CACHE_DIR="$work/prompts-$1" PORT="$2" LOG_LEVEL=warn node dist/main.js serve > "$work/$1.log" 2>&1 &
}
serve local 8100
local=$!
serve prebuilt 8101
prebuilt=$!
trap 'kill $local $prebuilt 2> /dev/null; wait 2> /dev/null; rm -rf "$work"' EXIT
for port in 8100 8101; do
  for _ in $(seq 1 240); do curl -sf "http://127.0.0.1:$port/health" > /dev/null && break; sleep 0.5; done
done
echo "LALS = the local build; compared = the prebuilt binaries"
npx tsx scripts/bench.ts --base http://127.0.0.1:8100 --compare http://127.0.0.1:8101 --pid "$local" --compare-pid "$prebuilt" \
  --sequences 4 --levels 1,4 --rounds 2 --max-tokens 128 --turns 0 "$@"
