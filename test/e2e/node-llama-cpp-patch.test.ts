// What LALS's patch to node-llama-cpp (patches/) adds, checked on the real library: a missing or stale patch fails here.
import assert from "node:assert/strict";
import { test } from "node:test";
import { getLlama } from "node-llama-cpp";
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
