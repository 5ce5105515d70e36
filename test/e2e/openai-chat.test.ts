// The official openai SDK against the real server on the fixture model.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import OpenAI from "openai";
import { startServer, type RunningServer } from "./harness.js";

const MODEL = "qwen3-0.6b";
let server: RunningServer;
let client: OpenAI;

before(async () => {
  server = await startServer({ env: { MODEL_PARALLEL: "2", MAX_QUEUE: "16", MAX_TOKENS_LIMIT: "512", MODEL_N_CTX: "1024" } });
  client = new OpenAI({ baseURL: `${server.baseUrl}/v1`, apiKey: "unused", maxRetries: 0 });
});
after(async () => {
  assert.equal(await server.stop(), 0, "server exits cleanly on SIGTERM");
});

const user = (text: string) => [{ role: "user" as const, content: text }];

describe("non-streaming", () => {
  test("returns a chat.completion with usage that adds up", async () => {
    const completion = await client.chat.completions.create({ model: MODEL, messages: user("Hello"), max_tokens: 8 });
    assert.match(completion.id, /^chatcmpl-/);
    assert.equal(completion.object, "chat.completion");
    assert.equal(completion.model, MODEL);
    const [choice] = completion.choices;
    assert.equal(choice?.message.role, "assistant");
    assert.equal(typeof choice?.message.content, "string");
    assert.ok((choice?.message.content ?? "").length > 0);
    const usage = completion.usage!;
    assert.ok(usage.prompt_tokens > 0);
    assert.equal(usage.completion_tokens, 8);
    assert.equal(usage.total_tokens, usage.prompt_tokens + usage.completion_tokens);
  });

  test("stops with finish_reason length when max_tokens runs out", async () => {
    const completion = await client.chat.completions.create({ model: MODEL, messages: user("Count"), max_completion_tokens: 5 });
    assert.equal(completion.choices[0]?.finish_reason, "length");
    assert.equal(completion.usage?.completion_tokens, 5);
  });

  test("accepts system and developer messages and text-part arrays", async () => {
    const completion = await client.chat.completions.create({
      model: MODEL,
      messages: [
        { role: "system", content: "You are terse." },
        { role: "developer", content: [{ type: "text", text: "Answer in English." }] },
        { role: "user", content: [{ type: "text", text: "Hi" }, { type: "text", text: "there" }] },
        { role: "assistant", content: "Hello." },
        { role: "user", content: "Again" },
      ],
      max_tokens: 4,
    });
    assert.equal(completion.choices.length, 1);
  });

  test("the same seed at temperature > 0 gives the same text", async () => {
    const ask = () => client.chat.completions.create({ model: MODEL, messages: user("Seed"), max_tokens: 12, temperature: 1, seed: 7 });
    const [a, b] = [await ask(), await ask()];
    assert.equal(a.choices[0]?.message.content, b.choices[0]?.message.content);
  });

  test("cuts at a stop sequence, which never appears in the output", async () => {
    const greedy = { model: MODEL, messages: user("Stop test"), max_tokens: 24, temperature: 0 };
    const full = (await client.chat.completions.create(greedy)).choices[0]?.message.content ?? "";
    assert.ok(full.length >= 8, `greedy output long enough: ${JSON.stringify(full)}`);
    const stop = full.slice(4, 6);
    const expected = full.slice(0, full.indexOf(stop));
    const cut = await client.chat.completions.create({ ...greedy, stop: [stop, "\u0000never"] });
    assert.equal(cut.choices[0]?.message.content, expected);
    assert.equal(cut.choices[0]?.finish_reason, "stop");
  });
});

describe("streaming", () => {
  test("streams chunks with one id, role first, finish_reason last, then usage", async () => {
    const stream = await client.chat.completions.create({
      model: MODEL, messages: user("Stream"), max_tokens: 6, stream: true, stream_options: { include_usage: true },
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    const ids = new Set(chunks.map((c) => c.id));
    assert.equal(ids.size, 1);
    assert.match([...ids][0]!, /^chatcmpl-/);
    assert.ok(chunks.every((c) => c.object === "chat.completion.chunk"));
    assert.equal(chunks[0]?.choices[0]?.delta.role, "assistant");
    const withChoices = chunks.filter((c) => c.choices.length > 0);
    assert.equal(withChoices.at(-1)?.choices[0]?.finish_reason, "length");
    assert.ok(withChoices.slice(0, -1).every((c) => c.choices[0]?.finish_reason === null));
    const last = chunks.at(-1)!;
    assert.deepEqual(last.choices, []);
    assert.equal(last.usage?.completion_tokens, 6);
    assert.equal(last.usage?.total_tokens, (last.usage?.prompt_tokens ?? 0) + 6);
  });

  test("streamed text equals the non-streamed text for the same greedy request", async () => {
    const request = { model: MODEL, messages: user("Same"), max_tokens: 10, temperature: 0 };
    const whole = (await client.chat.completions.create(request)).choices[0]?.message.content;
    let streamed = "";
    for await (const chunk of await client.chat.completions.create({ ...request, stream: true })) streamed += chunk.choices[0]?.delta.content ?? "";
    assert.equal(streamed, whole);
  });

  test("ends the raw SSE body with data: [DONE]", async () => {
    const response = await fetch(`${server.baseUrl}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: MODEL, messages: user("raw"), max_tokens: 3, stream: true }),
    });
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-type") ?? "", /^text\/event-stream/);
    const body = await response.text();
    const frames = body.split("\n\n").filter((f) => f !== "");
    assert.ok(frames.every((f) => f.startsWith("data: ")));
    assert.equal(frames.at(-1), "data: [DONE]");
    assert.ok(!body.includes('"usage"'), "no usage field without stream_options.include_usage");
  });

  test("serves several concurrent streams, more than the slots, all to completion", async () => {
    const streams = await Promise.all(Array.from({ length: 5 }, (_, i) =>
      client.chat.completions.create({ model: MODEL, messages: user(`parallel ${i}`), max_tokens: 16, stream: true })));
    const texts = await Promise.all(streams.map(async (stream) => {
      let text = "";
      let finish: string | null | undefined;
      for await (const chunk of stream) {
        text += chunk.choices[0]?.delta.content ?? "";
        finish = chunk.choices[0]?.finish_reason ?? finish;
      }
      return { text, finish };
    }));
    for (const { text, finish } of texts) {
      assert.ok(text.length > 0);
      assert.equal(finish, "length");
    }
  });
});

describe("errors", () => {
  test("an unknown model is a NotFoundError", async () => {
    await assert.rejects(client.chat.completions.create({ model: "nope", messages: user("x") }), (error: unknown) => {
      assert.ok(error instanceof OpenAI.NotFoundError);
      assert.equal(error.status, 404);
      assert.equal((error.error as { code?: string }).code, "model_not_found");
      return true;
    });
  });

  test("a schema violation is a BadRequestError naming the field", async () => {
    await assert.rejects(
      client.chat.completions.create({ model: MODEL, messages: [{ role: "user", content: 42 as unknown as string }] }),
      (error: unknown) => {
        assert.ok(error instanceof OpenAI.BadRequestError);
        assert.equal(error.param, "messages[0].content");
        return true;
      },
    );
  });

  test("max_tokens above MAX_TOKENS_LIMIT is lowered to it, as vendors treat max_tokens: a ceiling", async () => {
    const reply = await client.chat.completions.create({ model: MODEL, messages: user("x"), max_tokens: 64000 });
    assert.equal(reply.usage?.completion_tokens, 512);
    assert.equal(reply.choices[0]?.finish_reason, "length");
  });

  test("a prompt longer than the context is a BadRequestError that says so", async () => {
    const long = "word ".repeat(1500);
    await assert.rejects(client.chat.completions.create({ model: MODEL, messages: user(long), max_tokens: 4 }), (error: unknown) => {
      assert.ok(error instanceof OpenAI.BadRequestError);
      assert.match(error.message, /context/);
      return true;
    });
  });

  test("a streaming request that fails validation answers with a status, not a broken stream", async () => {
    await assert.rejects(
      client.chat.completions.create({ model: "nope", messages: user("x"), stream: true }),
      (error: unknown) => error instanceof OpenAI.NotFoundError,
    );
  });

  test("invalid JSON is a 400 in OpenAI's error shape", async () => {
    const response = await fetch(`${server.baseUrl}/v1/chat/completions`, { method: "POST", headers: { "content-type": "application/json" }, body: "{bad" });
    assert.equal(response.status, 400);
    const body = (await response.json()) as { error: { type: string; message: string } };
    assert.equal(body.error.type, "invalid_request_error");
    assert.match(body.error.message, /JSON/);
  });

  test("the server still answers after all of the above", async () => {
    const completion = await client.chat.completions.create({ model: MODEL, messages: user("still there?"), max_tokens: 2 });
    assert.equal(completion.choices[0]?.finish_reason, "length");
  });
});

describe("models and service endpoints", () => {
  test("lists and retrieves the served model", async () => {
    const list = await client.models.list();
    assert.deepEqual(list.data.map((m) => m.id), [MODEL, "claude-*", "gpt-*", "chatgpt-*", "o<digit>*", "codex-*", "gemini-*"], "the served model, then the vendor families it serves");
    const model = await client.models.retrieve(MODEL);
    assert.equal(model.id, MODEL);
    assert.equal(model.object, "model");
    await assert.rejects(client.models.retrieve("nope"), (error: unknown) => error instanceof OpenAI.NotFoundError);
  });

  test("GET / describes the service and /health is 200 once loaded", async () => {
    const info = (await (await fetch(server.baseUrl)).json()) as { name: string; models: string[]; endpoints: string[] };
    assert.equal(info.name, "lals");
    assert.deepEqual(info.models, [MODEL, "claude-*", "gpt-*", "chatgpt-*", "o<digit>*", "codex-*", "gemini-*"]);
    assert.ok(info.endpoints.includes("POST /v1/chat/completions"));
    const health = await fetch(`${server.baseUrl}/health`);
    assert.equal(health.status, 200);
  });
});
