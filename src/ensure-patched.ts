// LALS's patch to node-llama-cpp (patches/), applied before the library is first imported when the install did not
// apply it: npm 11 runs no install script of a package it was not told to trust, `npm install -g lals` included, so
// an installed LALS may start with the library as published. Applying twice changes nothing. Serving still checks
// the patched members themselves (engines/llama/node-llama-cpp-patch.ts) and refuses to start without them.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** A line the patch adds to the file, which the published library does not have. */
const MARKER = "lalsCancelPendingEvaluation";
const APPLY_SCRIPT = fileURLToPath(new URL("../patches/apply.mjs", import.meta.url));

function patchedFile(): string {
  const entry = createRequire(import.meta.url).resolve("node-llama-cpp");
  // The package's entry is dist/index.js; the patched class sits beside it.
  return join(entry, "..", "evaluator", "LlamaContext", "LlamaContext.js");
}

/** Applies the patch when the installed library lacks it; says on stderr when it cannot (serving then refuses to start). */
export function ensurePatched(): void {
  let source: string;
  try {
    source = readFileSync(patchedFile(), "utf8");
  } catch {
    return; // Not where a published node-llama-cpp keeps it: the serve-time check reports what is missing.
  }
  if (source.includes(MARKER)) return;
  process.stderr.write("lals: applying LALS's patch to node-llama-cpp (the install ran no scripts)\n");
  const applied = spawnSync(process.execPath, [APPLY_SCRIPT], { stdio: ["ignore", "ignore", "inherit"] });
  if (applied.status !== 0) process.stderr.write(`lals: could not apply it; run as the owner of the installation: node ${APPLY_SCRIPT}\n`);
}
