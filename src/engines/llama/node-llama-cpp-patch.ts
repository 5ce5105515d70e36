// LALS's patch to node-llama-cpp (patches/): whether the library in use carries it, checked at start-up before any
// model loads, and the engine's two calls into it, which do nothing rather than throw (inside an abort listener,
// where a throw would bring the process down) should the patch be missing after all.
import { fileURLToPath } from "node:url";
import { LlamaContext, LlamaContextSequence, LlamaEmbeddingContext } from "node-llama-cpp";
import type { TokenLogprobs } from "./token-logprobs.js";

/** Applies the patch wherever node-llama-cpp resolves from LALS: three levels up from src/engines/llama or dist/engines/llama. */
const APPLY_SCRIPT = fileURLToPath(new URL("../../../patches/apply.mjs", import.meta.url));

/** Each patched member, and how to tell that it is there without loading a model. */
const MEMBERS: ReadonlyArray<{ name: string; present: () => boolean }> = [
  { name: "LlamaContextSequence.lalsCancelPendingEvaluation", present: () => typeof LlamaContextSequence.prototype.lalsCancelPendingEvaluation === "function" },
  { name: "LlamaContext._lalsCancelQueuedDecodes", present: () => typeof Reflect.get(LlamaContext.prototype, "_lalsCancelQueuedDecodes") === "function" },
  // An instance field, set only once a context exists: the class's source shows the decode loop calling it.
  { name: "LlamaContext.lalsOnDecodeStarted", present: () => LlamaContext.toString().includes("this.lalsOnDecodeStarted?.()") },
  { name: "LlamaContextSequence.lalsTokenLogprobs", present: () => LlamaContextSequence.toString().includes("this.lalsTokenLogprobs?.onSampled(") },
  // Used only where the addon is a local build of the patched source (llama-binding.ts).
  { name: "LlamaContext's decodeBatchAndSample", present: () => LlamaContext.toString().includes("this._ctx.decodeBatchAndSample(samplingRequests)") },
  { name: "LlamaEmbeddingContext.lalsGetEmbeddingsFor", present: () => typeof LlamaEmbeddingContext.prototype.lalsGetEmbeddingsFor === "function" },
];

let missing: string[] | undefined;

/** The patched members the installed node-llama-cpp lacks; none when the patch is applied. */
export function missingPatchMembers(): readonly string[] {
  missing ??= MEMBERS.filter((member) => !member.present()).map((member) => member.name);
  return missing;
}

/** One line saying what is missing (`lacking`, by default what the installed library lacks) and what to run; undefined when nothing is. */
export function patchProblem(lacking = missingPatchMembers()): string | undefined {
  if (lacking.length === 0) return undefined;
  return `node-llama-cpp lacks LALS's patch (no ${lacking.join(", ")}), which install scripts apply; run: node ${APPLY_SCRIPT}`;
}

/**
 * Drops what is still queued for evaluation on `sequence` (the rest of a long prompt read in batches), failing its
 * evaluation with `reason`. Unpatched, the prompt is read to its end before the abort is seen.
 */
export function cancelPendingEvaluation(sequence: LlamaContextSequence, reason: Error): void {
  if (missingPatchMembers().length === 0) sequence.lalsCancelPendingEvaluation(reason);
}

/** Has `context` call `listener` right after it hands each batch to the native decoder. Unpatched, it never does. */
export function onDecodeStarted(context: LlamaContext, listener: () => void): void {
  context.lalsOnDecodeStarted = listener;
}

/** Has `sequence` report each token it samples to `logprobs` (undefined: stop). Unpatched, nothing is reported. */
export function reportTokenLogprobs(sequence: LlamaContextSequence, logprobs: TokenLogprobs | undefined): void {
  sequence.lalsTokenLogprobs = logprobs;
}
