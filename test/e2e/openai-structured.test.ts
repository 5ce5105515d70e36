// Structured output, sampling controls and refused parameters through the official openai SDK on the fixture.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import OpenAI from "openai";
import { startServer, type RunningServer } from "./harness.js";

const MODEL = "qwen3-0.6b";
let server: RunningServer;
let client: OpenAI;

before(async () => {
  server = await startServer({ env: { MODEL_PARALLEL: "3", MODEL_N_CTX: "2048", MAX_TOKENS_LIMIT: "1024" } });
  client = new OpenAI({ baseURL: `${server.baseUrl}/v1`, apiKey: "unused", maxRetries: 0 });
});
after(async () => {
  assert.equal(await server.stop(), 0);
});

const user = (text: string): OpenAI.ChatCompletionMessageParam[] => [{ role: "user", content: text }];

const schema = {
  type: "object",
  properties: {
    city: { type: "string", enum: ["Paris", "Rome", "Lisbon"] },
    sunny: { type: "boolean" },
    tags: { type: "array", items: { type: "string", enum: ["warm", "dry", "windy"] }, maxItems: 3 },
    note: { type: "string", maxLength: 12 },
  },
  required: ["city", "sunny", "tags", "note"],
  additionalProperties: false,
};

describe("response_format", () => {
  test("json_schema: the content parses and validates against the schema", async () => {
    for (const seed of [1, 2, 3]) {
      const completion = await client.chat.completions.create({
        model: MODEL, messages: user("Describe the weather as JSON"), max_tokens: 400, seed,
        response_format: { type: "json_schema", json_schema: { name: "weather", strict: true, schema } },
      });
      const choice = completion.choices[0]!;
      assert.equal(choice.finish_reason, "stop", "the grammar completes the object and generation ends");
      const value = JSON.parse(choice.message.content ?? "") as Record<string, unknown>;
      assert.deepEqual(Object.keys(value).sort(), ["city", "note", "sunny", "tags"]);
      assert.ok(["Paris", "Rome", "Lisbon"].includes(value.city as string));
      assert.equal(typeof value.sunny, "boolean");
      assert.ok(Array.isArray(value.tags) && value.tags.length <= 3 && value.tags.every((t) => ["warm", "dry", "windy"].includes(t as string)));
      assert.ok(typeof value.note === "string" && value.note.length <= 12);
    }
  });

  test("json_schema streams the same JSON in content deltas", async () => {
    const request = { model: MODEL, messages: user("JSON"), max_tokens: 400, temperature: 0, response_format: { type: "json_schema" as const, json_schema: { name: "w", schema } } };
    const whole = (await client.chat.completions.create(request)).choices[0]?.message.content;
    let streamed = "";
    for await (const chunk of await client.chat.completions.create({ ...request, stream: true })) streamed += chunk.choices[0]?.delta.content ?? "";
    assert.equal(streamed, whole);
    JSON.parse(streamed);
  });

  test("json_object: the content is a JSON object", async () => {
    const completion = await client.chat.completions.create({
      model: MODEL, messages: user("Any JSON object"), max_tokens: 400, temperature: 0.7, seed: 11, response_format: { type: "json_object" },
    });
    const value: unknown = JSON.parse(completion.choices[0]?.message.content ?? "");
    assert.ok(typeof value === "object" && value !== null && !Array.isArray(value));
  });

  test("schema keywords the grammar cannot enforce are refused by name", async () => {
    await assert.rejects(client.chat.completions.create({
      model: MODEL, messages: user("x"), max_tokens: 4,
      response_format: { type: "json_schema", json_schema: { name: "n", schema: { type: "object", properties: { n: { type: "integer", minimum: 0 }, s: { type: "string", pattern: "^a" } } } } },
    }), (error: unknown) => {
      assert.ok(error instanceof OpenAI.BadRequestError);
      assert.equal(error.param, "response_format.json_schema.schema");
      assert.match(error.message, /properties\.n\.minimum, properties\.s\.pattern/);
      return true;
    });
  });
});

describe("sampling controls", () => {
  test("logit_bias 100 on a token makes greedy decoding pick it; -100 bans it", async () => {
    const biased = await client.chat.completions.create({ model: MODEL, messages: user("x"), max_tokens: 5, temperature: 0, logit_bias: { 65: 100 } });
    assert.equal(biased.choices[0]?.message.content, "AAAAA");
    const plain = (await client.chat.completions.create({ model: MODEL, messages: user("x"), max_tokens: 12, temperature: 0 })).choices[0]?.message.content ?? "";
    const banned = plain[0]!;
    const tokenId = banned.charCodeAt(0); // the fixture's byte tokens have their byte value as id
    const without = (await client.chat.completions.create({ model: MODEL, messages: user("x"), max_tokens: 12, temperature: 0, logit_bias: { [tokenId]: -100 } })).choices[0]?.message.content ?? "";
    assert.ok(!without.startsWith(banned), `${banned} banned from ${JSON.stringify(without)}`);
  });

  test("a logit_bias token outside the vocabulary is a 400", async () => {
    await assert.rejects(client.chat.completions.create({ model: MODEL, messages: user("x"), max_tokens: 2, logit_bias: { 99999999: 5 } }),
      (error: unknown) => error instanceof OpenAI.BadRequestError && error.param === "logit_bias");
  });

  test("user, metadata, store, service_tier, verbosity and prompt_cache_key are accepted", async () => {
    const completion = await client.chat.completions.create({
      model: MODEL, messages: user("x"), max_tokens: 2, user: "u-1", metadata: { team: "a" }, store: false,
      service_tier: "auto", verbosity: "low", prompt_cache_key: "k", safety_identifier: "s",
    });
    assert.equal(completion.choices[0]?.finish_reason, "length");
    assert.ok(completion.service_tier === undefined || completion.service_tier === null);
    assert.equal(completion.choices[0]?.message.refusal, null);
  });

  test("parameters the engine cannot honour are refused by name", async () => {
    const cases: Array<[Partial<OpenAI.ChatCompletionCreateParamsNonStreaming>, string]> = [
      [{ top_logprobs: 3 }, "top_logprobs"],
      [{ modalities: ["text", "audio"] }, "modalities[1]"],
      [{ audio: { voice: "alloy", format: "mp3" } }, "audio"],
      [{ web_search_options: {} }, "web_search_options"],
    ];
    for (const [extra, param] of cases) {
      await assert.rejects(client.chat.completions.create({ model: MODEL, messages: user("x"), max_tokens: 2, ...extra }),
        (error: unknown) => error instanceof OpenAI.BadRequestError && error.param === param, param);
    }
  });
});

describe("n choices", () => {
  test("n=3 gives three choices with their own index, generated side by side; usage counts the prompt once", async () => {
    const one = await client.chat.completions.create({ model: MODEL, messages: user("Choices"), max_tokens: 6 });
    const completion = await client.chat.completions.create({ model: MODEL, messages: user("Choices"), max_tokens: 6, n: 3, seed: 5, temperature: 1 });
    assert.deepEqual(completion.choices.map((c) => c.index), [0, 1, 2]);
    assert.ok(completion.choices.every((c) => c.finish_reason === "length" && (c.message.content ?? "").length > 0));
    assert.ok(new Set(completion.choices.map((c) => c.message.content)).size > 1, "seeded choices differ");
    assert.equal(completion.usage?.prompt_tokens, one.usage?.prompt_tokens);
    assert.equal(completion.usage?.completion_tokens, 18);
    const again = await client.chat.completions.create({ model: MODEL, messages: user("Choices"), max_tokens: 6, n: 3, seed: 5, temperature: 1 });
    assert.deepEqual(again.choices.map((c) => c.message.content), completion.choices.map((c) => c.message.content), "same seed, same choices");
  });

  test("streamed, every choice gets its role, content and finish_reason, then one usage chunk and [DONE]", async () => {
    const stream = await client.chat.completions.create({
      model: MODEL, messages: user("Choices"), max_tokens: 5, n: 2, stream: true, stream_options: { include_usage: true },
    });
    const texts = ["", ""];
    const finishes: Array<string | null> = [null, null];
    const roles = [0, 0];
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      for (const choice of chunk.choices) {
        texts[choice.index] += choice.delta.content ?? "";
        if (choice.delta.role === "assistant") roles[choice.index]!++;
        finishes[choice.index] = choice.finish_reason ?? finishes[choice.index]!;
      }
      if (chunk.usage) usage = chunk.usage;
    }
    assert.deepEqual(roles, [1, 1]);
    assert.deepEqual(finishes, ["length", "length"]);
    assert.ok(texts.every((t) => t.length > 0));
    assert.equal(usage?.completion_tokens, 10);
  });

  test("n above the server's bound is a 400 naming n", async () => {
    await assert.rejects(client.chat.completions.create({ model: MODEL, messages: user("x"), max_tokens: 2, n: 9 }),
      (error: unknown) => error instanceof OpenAI.BadRequestError && error.param === "n");
  });
});
