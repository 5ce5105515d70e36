// What LALS's patch to node-llama-cpp (patches/) adds, checked on the real library: a missing or stale patch fails here.
import assert from "node:assert/strict";
import { test } from "node:test";
import { getLlama, type LlamaEmbeddingContext, type LlamaModel, type LlamaRankingContext } from "node-llama-cpp";
import { fixtureModel } from "./harness.js";

test("the context tells LALS each time it hands a batch to the decoder", async () => {
  const llama = await getLlama({ build: "never", gpu: false });
  const model = await llama.loadModel({ modelPath: await fixtureModel() });
  const context = await model.createContext({ contextSize: 256, sequences: 1, threads: 1 });
  try {
    const sequence = context.getSequence();
    let started = 0;
    context.lalsOnDecodeStarted = () => started++;
    const tokens = model.tokenize("The lighthouse keeper");
    let generated = 0;
    for await (const _ of sequence.evaluate(tokens, { temperature: 0 })) if (++generated === 8) break;
    // The prompt is one batch, then each generated token but the last is fed back as one more.
    assert.equal(started, 8);
  } finally {
    await context.dispose();
    await model.dispose();
  }
});

async function loadFixture(kind: "embedding" | "reranker"): Promise<LlamaModel> {
  const llama = await getLlama({ build: "never", gpu: false });
  return llama.loadModel({ modelPath: await fixtureModel(kind) });
}

/**
 * node-llama-cpp's own count of the tokens a context's sequence decoded, independent of the patch's choice of what to
 * keep (the token whose output is read counts as an output token).
 */
function decodedBy(context: LlamaEmbeddingContext | LlamaRankingContext): () => number {
  const meter = (context as unknown as { _sequence: { tokenMeter: { usedInputTokens: number; usedOutputTokens: number } } })._sequence.tokenMeter;
  return () => meter.usedInputTokens + meter.usedOutputTokens;
}

test("an embedding context told to reuse prefixes decodes only what its sequence does not already hold", async () => {
  const model = await loadFixture("embedding");
  const reusing = await model.createEmbeddingContext({ contextSize: 256, threads: 1, lalsReusePrefixes: true });
  const plain = await model.createEmbeddingContext({ contextSize: 256, threads: 1 });
  try {
    const decoded = decodedBy(reusing);
    const start = "The lighthouse keeper wrote in the log every night";
    const [a, b] = [`${start}, and slept`, `${start}, and woke`];
    const length = (text: string): number => reusing.calculateInputLength(text);
    const shared = [...model.tokenize(a)].findIndex((token, i) => token !== model.tokenize(b)[i]) + (model.tokens.shouldPrependBosToken ? 1 : 0);
    assert.ok(shared > 5, `the texts share ${shared} tokens`);
    await reusing.lalsGetEmbeddingsFor([a]);
    assert.equal(decoded(), length(a));
    const [vector] = await reusing.lalsGetEmbeddingsFor([b]);
    assert.equal(decoded(), length(a) + length(b) - shared, "the second text decodes from where it parts from the first");
    await reusing.lalsGetEmbeddingsFor([b]);
    assert.equal(decoded(), length(a) + 2 * length(b) - shared - (length(b) - 1), "the same text again decodes its last token only");
    const fresh = (await plain.getEmbeddingFor(b)).vector;
    assert.ok(Math.max(...vector!.vector.map((x, i) => Math.abs(x - fresh[i]!))) < 1e-4 * Math.max(...fresh.map(Math.abs)), "the same vector as a fresh context's");
  } finally {
    await model.dispose();
  }
});

test("a ranking context told to reuse prefixes decodes the query once for documents scored one after another", async () => {
  const model = await loadFixture("reranker");
  const reusing = await model.createRankingContext({ contextSize: 256, threads: 1, lalsReusePrefixes: true });
  const plain = await model.createRankingContext({ contextSize: 256, threads: 1 });
  try {
    const decoded = decodedBy(reusing);
    const query = "which keeper wrote in the log every night";
    const documents = ["the keeper of the north light", "a recipe for lemon cake", "a recipe for lemon cake"];
    const lengths = documents.map((document) => reusing.calculateInputLength(query, document));
    const queryPart = reusing.calculateInputLength(query, "x") - reusing.calculateInputLength("", "x");
    assert.ok(queryPart > 5, `the query takes ${queryPart} tokens`);
    const scores: number[] = [];
    const counts: number[] = [];
    for (const document of documents) {
      scores.push(await reusing.rank(query, document));
      counts.push(decoded());
    }
    assert.equal(counts[0], lengths[0]);
    assert.ok(counts[1]! - counts[0]! <= lengths[1]! - queryPart, `the second pair decodes ${counts[1]! - counts[0]!} of its ${lengths[1]} tokens`);
    assert.equal(counts[2]! - counts[1]!, 1, "the same pair again decodes its last token only");
    for (const [i, document] of documents.entries()) {
      const fresh = await plain.rank(query, document);
      assert.ok(Math.abs(scores[i]! - fresh) < 1e-5, `document ${i}: ${scores[i]} against a fresh context's ${fresh}`);
    }
  } finally {
    await model.dispose();
  }
});
