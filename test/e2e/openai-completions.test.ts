// Legacy /v1/completions through the official openai SDK on the fixture: the prompt is continued as raw text.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import OpenAI from "openai";
import { startServer, type RunningServer } from "./harness.js";

const MODEL = "qwen3-0.6b";
let server: RunningServer;
let client: OpenAI;

before(async () => {
  server = await startServer({ env: { MODEL_PARALLEL: "4", MODEL_N_CTX: "1024", MAX_TOKENS_LIMIT: "512" } });
  client = new OpenAI({ baseURL: `${server.baseUrl}/v1`, apiKey: "unused", maxRetries: 0 });
});
after(async () => {
  assert.equal(await server.stop(), 0);
});

test("a text_completion with the API's default of 16 tokens, usage that adds up", async () => {
  const completion = await client.completions.create({ model: MODEL, prompt: "Once upon a time" });
  assert.match(completion.id, /^cmpl-/);
  assert.equal(completion.object, "text_completion");
  assert.equal(completion.model, MODEL);
  const [choice] = completion.choices;
  assert.equal(choice?.finish_reason, "length");
  assert.ok((choice?.text ?? "").length > 0);
  assert.equal(completion.usage?.completion_tokens, 16);
  assert.ok((completion.usage?.prompt_tokens ?? 0) >= 3);
  assert.equal(completion.usage?.total_tokens, completion.usage!.prompt_tokens + 16);
});

test("echo prepends the prompt; a stop sequence cuts with finish_reason stop", async () => {
  const greedy = { model: MODEL, prompt: "Echo me", max_tokens: 24, temperature: 0 };
  const echoed = await client.completions.create({ ...greedy, echo: true });
  const plain = await client.completions.create(greedy);
  assert.equal(echoed.choices[0]?.text, `Echo me${plain.choices[0]?.text}`);
  const full = plain.choices[0]?.text ?? "";
  const stop = full.slice(4, 6);
  const cut = await client.completions.create({ ...greedy, stop });
  assert.equal(cut.choices[0]?.text, full.slice(0, full.indexOf(stop)));
  assert.equal(cut.choices[0]?.finish_reason, "stop");
});

test("a list of prompts with n gives prompts × n choices in the API's order; the same seed repeats them", async () => {
  const request = { model: MODEL, prompt: ["alpha", "beta"], n: 2, max_tokens: 4, seed: 3, temperature: 1 };
  const completion = await client.completions.create(request);
  assert.deepEqual(completion.choices.map((c) => c.index), [0, 1, 2, 3]);
  assert.equal(completion.usage?.completion_tokens, 16);
  const again = await client.completions.create(request);
  assert.deepEqual(again.choices.map((c) => c.text), completion.choices.map((c) => c.text));
  const alone = await client.completions.create({ model: MODEL, prompt: "alpha", max_tokens: 4, seed: 3, temperature: 1 });
  assert.equal(alone.choices[0]?.text, completion.choices[0]?.text, "choice 0 is prompt 0 with the seed itself");
});

test("without a seed, copies of one prompt differ", async () => {
  const completion = await client.completions.create({ model: MODEL, prompt: "same", n: 3, max_tokens: 8, temperature: 1 });
  assert.ok(new Set(completion.choices.map((c) => c.text)).size > 1);
});

test("streams text_completion chunks, finish_reason last, usage on request, then [DONE]", async () => {
  const stream = await client.completions.create({ model: MODEL, prompt: "Stream", max_tokens: 5, stream: true, stream_options: { include_usage: true } });
  let text = "";
  let finish: string | null | undefined;
  let usage: OpenAI.CompletionUsage | null | undefined;
  for await (const chunk of stream) {
    assert.equal(chunk.object, "text_completion");
    text += chunk.choices[0]?.text ?? "";
    finish = chunk.choices[0]?.finish_reason ?? finish;
    usage = chunk.usage ?? usage;
  }
  assert.ok(text.length > 0);
  assert.equal(finish, "length");
  assert.equal(usage?.completion_tokens, 5);

  const raw = await fetch(`${server.baseUrl}/v1/completions`, { method: "POST", body: JSON.stringify({ model: MODEL, prompt: "x", max_tokens: 2, stream: true }) });
  assert.ok((await raw.text()).endsWith("data: [DONE]\n\n"));
});

test("what the engine cannot do is refused by name", async () => {
  const cases: Array<[Record<string, unknown>, string]> = [
    [{ logprobs: 2, echo: true }, "logprobs"],
    [{ suffix: "end" }, "suffix"],
    [{ best_of: 3 }, "best_of"],
    [{ prompt: [1, 2, 3] }, "prompt"],
  ];
  for (const [extra, param] of cases) {
    await assert.rejects(client.completions.create({ model: MODEL, prompt: "x", max_tokens: 2, ...extra } as OpenAI.CompletionCreateParamsNonStreaming),
      (error: unknown) => error instanceof OpenAI.BadRequestError && error.param === param, param);
  }
});

test("an empty prompt starts from the beginning of text (found by the hostile-input suite: it used to fail)", async () => {
  for (const prompt of ["", [""]]) {
    const completion = await client.completions.create({ model: MODEL, prompt, max_tokens: 3 });
    assert.equal(completion.usage?.completion_tokens, 3);
    assert.ok((completion.usage?.prompt_tokens ?? 0) >= 1);
    assert.ok((completion.usage?.prompt_tokens_details?.cached_tokens ?? 0) >= 0);
  }
});
