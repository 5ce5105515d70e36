// Token log-probabilities on the real server, through the official openai SDK: the alternatives are k, sorted and
// a part of one distribution; the sampled token is among them with the same value, and the top one at temperature 0;
// the tokens spell the reply; streamed and not agree.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import OpenAI from "openai";
import type { ChatCompletionTokenLogprob } from "openai/resources/chat/completions";
import { startServer, type RunningServer } from "./harness.js";

const MODEL = "qwen3-0.6b";
const STRICT_UTF8 = new TextDecoder("utf-8", { fatal: true });
let server: RunningServer;
let client: OpenAI;

before(async () => {
  server = await startServer();
  client = new OpenAI({ baseURL: `${server.baseUrl}/v1`, apiKey: "unused", maxRetries: 0 });
});
after(async () => {
  assert.equal(await server.stop(), 0);
});

const sameBytes = (a: { bytes: number[] | null }, b: { bytes: number[] | null }): boolean => JSON.stringify(a.bytes) === JSON.stringify(b.bytes);

function validUtf8(bytes: number[]): string | undefined {
  try {
    return STRICT_UTF8.decode(Uint8Array.from(bytes));
  } catch {
    return undefined;
  }
}

/** The checks every token's entry passes, whatever the sampling. */
function checkEntry(entry: ChatCompletionTokenLogprob, k: number, greedy: boolean): void {
  assert.equal(entry.top_logprobs.length, k, "exactly top_logprobs alternatives");
  for (let i = 1; i < k; i++) assert.ok(entry.top_logprobs[i - 1]!.logprob >= entry.top_logprobs[i]!.logprob, "sorted, likeliest first");
  const mass = entry.top_logprobs.reduce((sum, alternative) => sum + Math.exp(alternative.logprob), 0);
  assert.ok(mass <= 1 + 1e-6, `the top ${k} hold at most all the probability (${mass})`);
  assert.ok(entry.logprob <= 0 && Number.isFinite(entry.logprob));
  for (const item of [entry, ...entry.top_logprobs]) {
    assert.ok(item.bytes !== null && item.bytes.length > 0);
    const text = validUtf8(item.bytes);
    if (text !== undefined) assert.equal(text, item.token, "bytes decode to the token");
  }
  const same = entry.top_logprobs.find((alternative) => sameBytes(alternative, entry));
  if (same !== undefined) assert.equal(same.logprob, entry.logprob, "the sampled token's own entry agrees");
  if (k > 0) assert.ok(entry.logprob <= entry.top_logprobs[0]!.logprob + 1e-9);
  if (greedy && k > 0) {
    assert.ok(sameBytes(entry.top_logprobs[0]!, entry), "at temperature 0 the sampled token is the likeliest");
    assert.equal(entry.logprob, entry.top_logprobs[0]!.logprob);
  }
}

/** The reply spelled by its tokens: their bytes joined, and their text joined where every token is whole UTF-8. */
function checkSpelling(content: string, entries: readonly ChatCompletionTokenLogprob[]): void {
  assert.ok(entries.length > 0, "some tokens");
  assert.equal(Buffer.from(entries.flatMap((e) => e.bytes ?? [])).toString("utf8"), content, "the tokens' bytes make the content");
  if (entries.every((e) => validUtf8(e.bytes ?? []) !== undefined)) assert.equal(entries.map((e) => e.token).join(""), content);
}

const base = { model: MODEL, messages: [{ role: "user" as const, content: "Tell me a story" }], reasoning_effort: "none" as const, max_tokens: 24 };

describe("chat completions logprobs", () => {
  test("non-streamed at temperature 0: k sorted alternatives, the sampled token first among them, spelling the content", async () => {
    const completion = await client.chat.completions.create({ ...base, temperature: 0, logprobs: true, top_logprobs: 5 });
    const choice = completion.choices[0]!;
    assert.equal(choice.logprobs?.refusal, null);
    const entries = choice.logprobs?.content ?? [];
    for (const entry of entries) checkEntry(entry, 5, true);
    checkSpelling(choice.message.content ?? "", entries);
    assert.ok(entries.length <= completion.usage!.completion_tokens);
  });

  test("sampled at temperature 1 with 20 alternatives: each token's value is its own entry's when it is among them", async () => {
    const completion = await client.chat.completions.create({ ...base, temperature: 1, top_p: 1, seed: 7, logprobs: true, top_logprobs: 20 });
    const entries = completion.choices[0]!.logprobs?.content ?? [];
    for (const entry of entries) checkEntry(entry, 20, false);
    checkSpelling(completion.choices[0]!.message.content ?? "", entries);
  });

  test("top_logprobs 0 gives each token's value with no alternatives", async () => {
    const completion = await client.chat.completions.create({ ...base, temperature: 0, logprobs: true });
    const entries = completion.choices[0]!.logprobs?.content ?? [];
    for (const entry of entries) checkEntry(entry, 0, true);
    checkSpelling(completion.choices[0]!.message.content ?? "", entries);
  });

  test("streamed: each chunk carries its delta's tokens, and the stream agrees with the non-streamed answer", async () => {
    const request = { ...base, temperature: 0, seed: 3, logprobs: true, top_logprobs: 3 };
    const whole = await client.chat.completions.create(request);
    const stream = await client.chat.completions.create({ ...request, stream: true });
    const entries: ChatCompletionTokenLogprob[] = [];
    let content = "";
    for await (const chunk of stream) {
      const choice = chunk.choices[0];
      if (choice === undefined) continue;
      const delta = choice.delta.content ?? "";
      const chunkEntries = choice.logprobs?.content ?? [];
      if (delta !== "") {
        assert.ok(chunkEntries.length > 0, "a chunk with text has its tokens");
        if (chunkEntries.every((e) => validUtf8(e.bytes ?? []) !== undefined)) assert.equal(chunkEntries.map((e) => e.token).join(""), delta, "the chunk's tokens spell its delta");
      } else assert.equal(chunkEntries.length, 0);
      content += delta;
      entries.push(...chunkEntries);
    }
    for (const entry of entries) checkEntry(entry, 3, true);
    checkSpelling(content, entries);
    assert.equal(content, whole.choices[0]!.message.content);
    const expected = whole.choices[0]!.logprobs?.content ?? [];
    assert.deepEqual(entries.map((e) => e.token), expected.map((e) => e.token));
    entries.forEach((entry, i) => assert.ok(Math.abs(entry.logprob - expected[i]!.logprob) < 1e-4, `token ${i}: ${entry.logprob} vs ${expected[i]!.logprob}`));
  });

  test("without logprobs the choice's logprobs is null", async () => {
    const completion = await client.chat.completions.create({ ...base, max_tokens: 4 });
    assert.equal(completion.choices[0]!.logprobs, null);
  });

  test("top_logprobs without logprobs, or above 20, is a 400 naming it", async () => {
    for (const body of [{ top_logprobs: 3 }, { logprobs: true, top_logprobs: 21 }]) {
      await assert.rejects(client.chat.completions.create({ ...base, max_tokens: 4, ...body }), (error: unknown) => {
        assert.ok(error instanceof OpenAI.BadRequestError);
        assert.match(String((error.error as { param?: string } | undefined)?.param), /top_logprobs/);
        return true;
      });
    }
  });
});

describe("legacy completions logprobs", () => {
  test("logprobs: k gives tokens, their values, k alternatives each and offsets that spell the text, streamed or not", async () => {
    const request = { model: MODEL, prompt: "Once upon a time", max_tokens: 12, temperature: 0, seed: 1, logprobs: 4 };
    const whole = await client.completions.create(request);
    const choice = whole.choices[0]!;
    const { tokens = [], token_logprobs: values = [], top_logprobs: tops = [], text_offset: offsets = [] } = choice.logprobs ?? {};
    assert.ok(tokens.length > 0);
    assert.equal(values.length, tokens.length);
    assert.equal(tops.length, tokens.length);
    tokens.forEach((token, i) => {
      const top = Object.entries(tops[i]!);
      assert.ok(top.length <= 4 && top.length > 0);
      const best = Math.max(...top.map(([, logprob]) => logprob));
      assert.equal(values[i], best, "greedy: the sampled token is the likeliest");
      if (Object.hasOwn(tops[i]!, token)) assert.equal(tops[i]![token], values[i]);
      if (!token.includes("\uFFFD")) assert.ok(choice.text.startsWith(token, offsets[i]), `token ${i} sits at its text_offset`);
    });
    if (!tokens.some((t) => t.includes("\uFFFD"))) assert.equal(tokens.join(""), choice.text);

    const stream = await client.completions.create({ ...request, stream: true });
    const streamed: string[] = [];
    const streamedOffsets: number[] = [];
    for await (const chunk of stream) {
      const logprobs = chunk.choices[0]?.logprobs;
      streamed.push(...(logprobs?.tokens ?? []));
      streamedOffsets.push(...(logprobs?.text_offset ?? []));
    }
    assert.deepEqual(streamed, tokens);
    assert.deepEqual(streamedOffsets, offsets);
  });

  test("without logprobs they are null; with echo they are refused by name", async () => {
    const plain = await client.completions.create({ model: MODEL, prompt: "x", max_tokens: 2 });
    assert.equal(plain.choices[0]!.logprobs, null);
    await assert.rejects(client.completions.create({ model: MODEL, prompt: "x", max_tokens: 2, logprobs: 1, echo: true }),
      (error: unknown) => error instanceof OpenAI.BadRequestError && error.param === "logprobs");
  });
});

describe("Responses logprobs", () => {
  const ask = { model: MODEL, input: "Tell me something.", max_output_tokens: 12, temperature: 0, top_logprobs: 3, include: ["message.output_text.logprobs" as const] };

  test("each output_text part carries its tokens' logprobs, with top_logprobs alternatives; streamed and not agree", async () => {
    const response = await client.responses.create(ask);
    const message = response.output.find((item) => item.type === "message");
    assert.ok(message?.type === "message");
    const part = message.content[0];
    assert.ok(part?.type === "output_text");
    const logprobs = part.logprobs ?? [];
    assert.ok(logprobs.length > 0);
    assert.equal(Buffer.from(logprobs.flatMap((l) => l.bytes)).toString("utf8"), part.text, "the tokens spell the text");
    for (const entry of logprobs) checkEntry({ ...entry, top_logprobs: entry.top_logprobs }, 3, true);
    assert.equal(response.top_logprobs, 3);

    let streamedText = "";
    // The SDK's event types leave bytes out of the events' logprobs: token and value are what is compared.
    const streamed: Array<{ token: string; logprob: number }> = [];
    let done: Array<{ token: string; logprob: number }> | undefined;
    for await (const event of await client.responses.create({ ...ask, stream: true })) {
      if (event.type === "response.output_text.delta") {
        streamedText += event.delta;
        assert.equal(event.logprobs.map((l) => l.token).join(""), event.delta, "each delta's tokens spell it");
        streamed.push(...event.logprobs);
      }
      if (event.type === "response.output_text.done") done = event.logprobs;
    }
    assert.equal(streamedText, part.text);
    assert.deepEqual(streamed.map((l) => l.token), logprobs.map((l) => l.token));
    assert.deepEqual(done?.map((l) => l.token), logprobs.map((l) => l.token));
    streamed.forEach((entry, i) => assert.ok(Math.abs(entry.logprob - logprobs[i]!.logprob) < 1e-4));
  });

  test("without include or top_logprobs, no logprobs", async () => {
    const { model, input, max_output_tokens, temperature } = ask;
    const response = await client.responses.create({ model, input, max_output_tokens, temperature });
    const message = response.output.find((item) => item.type === "message");
    assert.ok(message?.type === "message" && message.content[0]?.type === "output_text");
    assert.deepEqual(message.content[0].logprobs, []);
  });
});
