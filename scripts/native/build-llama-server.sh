#!/usr/bin/env bash
# Builds llama-server from the llama.cpp source node-llama-cpp ships (llama/gitRelease.bundle), natively for this CPU,
# into .native/llama-server/: the like-for-like reference `npm run bench -- --compare` measures LALS against.
# Needs git, cmake and a C++ compiler; no network. About 20 minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/../.."
root="$PWD/.native/llama-server"
bundle="node_modules/node-llama-cpp/llama/gitRelease.bundle"
[ -f "$bundle" ] || { echo "no $bundle: run npm ci first" >&2; exit 1; }
rm -rf "$root/src"
mkdir -p "$root"
git clone -q "$bundle" "$root/src" 2> /dev/null
cmake -S "$root/src" -B "$root/build" -DCMAKE_BUILD_TYPE=Release -DGGML_NATIVE=ON -DLLAMA_OPENSSL=OFF \
  -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_TOOLS=ON -DLLAMA_BUILD_SERVER=ON > "$root/cmake.log" 2>&1
cmake --build "$root/build" --target llama-server -j "$(nproc)" > "$root/build.log" 2>&1
echo "$root/build/bin/llama-server"
