#!/usr/bin/env bash
# `npm run build:native`: builds node-llama-cpp's addon, with LALS's patch to it (patches/), from the llama.cpp source
# node-llama-cpp ships (llama/gitRelease.bundle), natively for this machine's CPU: a persistent thread pool per
# context, decoding and sampling in one native call, embeddings of several inputs in one batch. node-llama-cpp keeps
# it as its "last build", which LALS then loads instead of the prebuilt binaries (MODEL_BINARY). Needs git, cmake and
# a C++ compiler; no network (N-API: no Node headers are downloaded). A few minutes on 2 cores; output in
# .native/build-addon.log.
set -euo pipefail
cd "$(dirname "$0")/../.."
mkdir -p .native
node patches/apply.mjs > /dev/null
log="$PWD/.native/build-addon.log"
# LALS_NATIVE marks the build (no cmake file reads it): a local build under the default options' folder would be
# loaded even where the prebuilt binaries are asked for. Without OpenMP, ggml's own thread pool (the one the patch
# attaches) runs the decodes: OpenMP's team, woken from another libuv thread each time, was 15% slower at four slots.
if ! NODE_LLAMA_CPP_CMAKE_OPTION_LALS_NATIVE=ON NODE_LLAMA_CPP_CMAKE_OPTION_GGML_OPENMP=OFF npx --no node-llama-cpp source download --gpu false --noUsageExample > "$log" 2>&1; then
  tail -40 "$log" >&2
  echo "build:native failed; the whole log is $log" >&2
  exit 1
fi
node --input-type=module -e '
  const { getLlama } = await import("node-llama-cpp");
  const llama = await getLlama("lastBuild", { usePrebuiltBinaries: false, progressLogs: false });
  if (typeof llama._bindings.AddonContext.prototype.decodeBatchAndSample !== "function") {
    console.error("the build lacks LALS patch to the addon (patches/): was it applied?");
    process.exit(1);
  }
  console.log(`built node-llama-cpp ${llama.buildType} (${llama.cpuMathCores} math cores) with LALS patch to the addon`);
'
