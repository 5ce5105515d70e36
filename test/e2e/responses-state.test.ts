// The Responses API's state and limits through the official openai SDK, on the default fixture (it never ends a turn,
// so max_output_tokens decides every length): incomplete responses, stored responses and their endpoints,
// previous_response_id chains, input_tokens, cancel, and one API key never reading another's responses.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import OpenAI from "openai";
import type { ResponseInputItem, ResponseItem, ResponseStreamEvent } from "openai/resources/responses/responses";
import { startServer, type RunningServer } from "./harness.js";

const MODEL = "qwen3-0.6b";
let server: RunningServer;
let client: OpenAI;
/** No retries: a busy slot shows as a 503 at once. */
let strict: OpenAI;

before(async () => {
  // One slot and no queue: a request is answered only once the slot is free, so a cancelled response that kept it would show.
  server = await startServer({ env: { MODEL_PARALLEL: "1", MAX_QUEUE: "0", MODEL_N_CTX: "32768", MAX_TOKENS_LIMIT: "32000" } });
  // The slot is released just after a reply's last event: a request sent at once may find it busy for a moment (503, retry-after 1).
  client = new OpenAI({ baseURL: `${server.baseUrl}/v1`, apiKey: "unused", maxRetries: 3 });
  strict = new OpenAI({ baseURL: `${server.baseUrl}/v1`, apiKey: "unused", maxRetries: 0 });
});
after(async () => {
  assert.equal(await server.stop(), 0);
});

const notFound = (code: string, param?: string) => (error: unknown) => {
  assert.ok(error instanceof OpenAI.NotFoundError, String(error));
  assert.equal(error.status, 404);
  assert.equal((error.error as { code?: string }).code, code);
  if (param !== undefined) assert.equal(error.param, param);
  return true;
};

describe("max_output_tokens", () => {
  test("a response cut by max_output_tokens is incomplete, with that reason and exactly that many output tokens", async () => {
    const response = await client.responses.create({ model: MODEL, input: "Tell me everything.", max_output_tokens: 8 });
    assert.equal(response.status, "incomplete");
    assert.deepEqual(response.incomplete_details, { reason: "max_output_tokens" });
    assert.equal(response.usage?.output_tokens, 8);
    assert.equal(response.output.length, 1);
    const [item] = response.output;
    assert.ok(item?.type === "message");
    assert.equal(item.status, "incomplete");
    assert.ok(response.output_text.length > 0);
  });

  test("streamed, it ends with response.incomplete, and the SDK's final response says so", async () => {
    const stream = client.responses.stream({ model: MODEL, input: "Tell me everything.", max_output_tokens: 8 });
    const events: ResponseStreamEvent[] = [];
    for await (const event of stream) events.push(event);
    const final = await stream.finalResponse();
    assert.deepEqual(events.map((e) => e.sequence_number), events.map((_, i) => i));
    assert.equal(events.at(-1)?.type, "response.incomplete");
    assert.equal(final.status, "incomplete");
    assert.equal(final.incomplete_details?.reason, "max_output_tokens");
    assert.equal(final.usage?.output_tokens, 8);
    const deltas = events.flatMap((e) => (e.type === "response.output_text.delta" ? [e.delta] : []));
    assert.equal(deltas.join(""), final.output_text);
  });
});

describe("stored responses", () => {
  test("retrieve returns what create returned", async () => {
    const created = await client.responses.create({ model: MODEL, instructions: "Be terse.", input: "Remember me.", max_output_tokens: 4, metadata: { case: "retrieve" } });
    const retrieved = await client.responses.retrieve(created.id);
    assert.deepEqual(retrieved, created);
  });

  test("a streamed response is stored as its final event carried it", async () => {
    const stream = client.responses.stream({ model: MODEL, input: "Stream and keep.", max_output_tokens: 4 });
    const final = await stream.finalResponse();
    const retrieved = await client.responses.retrieve(final.id);
    // The stream helper adds its parse results (`output_parsed`, `parsed`), which are not on the wire.
    const wire = JSON.parse(JSON.stringify(final, (key, value: unknown) => (key === "output_parsed" || key === "parsed" ? undefined : value))) as unknown;
    assert.deepEqual(JSON.parse(JSON.stringify(retrieved)), wire);
  });

  test("input_items lists the input with ids, newest first by default, page by page", async () => {
    const input: ResponseInputItem[] = [
      { type: "message", role: "developer", content: "Answer in English." },
      { type: "message", role: "user", content: [{ type: "input_text", text: "first question" }] },
      { type: "message", role: "assistant", content: "first answer" },
      { type: "message", role: "user", content: [{ type: "input_text", text: "second question" }] },
    ];
    const created = await client.responses.create({ model: MODEL, input, max_output_tokens: 4 });
    const textOf = (item: ResponseItem): string => {
      assert.ok(item.type === "message", JSON.stringify(item));
      const content = item.content as unknown;
      return typeof content === "string" ? content : (content as Array<{ text: string }>).map((c) => c.text).join("");
    };
    const wanted = ["Answer in English.", "first question", "first answer", "second question"];

    const page = await client.responses.inputItems.list(created.id);
    assert.deepEqual(page.data.map(textOf), [...wanted].reverse());
    assert.ok(page.data.every((item) => "id" in item && /^msg_/.test(item.id ?? "")), JSON.stringify(page.data));
    assert.equal(page.has_more, false);

    // The SDK pages with `after` = the last id of each page.
    const paged: ResponseItem[] = [];
    for await (const item of client.responses.inputItems.list(created.id, { order: "asc", limit: 1 })) paged.push(item);
    assert.deepEqual(paged.map(textOf), wanted);
    assert.deepEqual(paged.map((item) => item.id), [...page.data].reverse().map((item) => item.id));
  });

  test("input items come back in the shape OpenAI lists them: message content as parts", async () => {
    const created = await client.responses.create({ model: MODEL, input: "plain string input", max_output_tokens: 4 });
    const { data } = await client.responses.inputItems.list(created.id);
    assert.equal(data.length, 1);
    const [item] = data;
    assert.ok(item?.type === "message");
    assert.equal(item.role, "user");
    assert.deepEqual(item.content, [{ type: "input_text", text: "plain string input" }]);
  });

  test("a deleted response is gone: retrieve, input_items, delete and previous_response_id are 404s", async () => {
    const created = await client.responses.create({ model: MODEL, input: "Forget me.", max_output_tokens: 4 });
    await client.responses.delete(created.id);
    await assert.rejects(client.responses.retrieve(created.id), notFound("previous_response_not_found"));
    await assert.rejects(client.responses.inputItems.list(created.id), notFound("previous_response_not_found"));
    await assert.rejects(client.responses.delete(created.id), notFound("previous_response_not_found"));
    await assert.rejects(client.responses.create({ model: MODEL, input: "again", previous_response_id: created.id, max_output_tokens: 2 }),
      notFound("previous_response_not_found", "previous_response_id"));
  });

  test("a store: false response is answered but cannot be retrieved or continued", async () => {
    const created = await client.responses.create({ model: MODEL, input: "Not kept.", store: false, max_output_tokens: 4 });
    assert.equal(created.status, "incomplete");
    await assert.rejects(client.responses.retrieve(created.id), notFound("previous_response_not_found"));
    await assert.rejects(client.responses.create({ model: MODEL, input: "more", previous_response_id: created.id, max_output_tokens: 2 }),
      notFound("previous_response_not_found", "previous_response_id"));
  });

  test("an unknown previous_response_id is a 404 previous_response_not_found", async () => {
    await assert.rejects(client.responses.create({ model: MODEL, input: "Hi", previous_response_id: "resp_unknown", max_output_tokens: 2 }),
      notFound("previous_response_not_found", "previous_response_id"));
  });
});

describe("previous_response_id", () => {
  test("a chain of three turns reads more each turn, and more of it is already in the slot", async () => {
    const first = await client.responses.create({ model: MODEL, instructions: "Be brief.", input: "The first question of a long chat.", max_output_tokens: 6 });
    const second = await client.responses.create({ model: MODEL, previous_response_id: first.id, instructions: "Be brief.", input: "A second question.", max_output_tokens: 6 });
    const third = await client.responses.create({ model: MODEL, previous_response_id: second.id, instructions: "Be brief.", input: "A third question.", max_output_tokens: 6 });
    const turns = [first, second, third].map((r) => r.usage!);
    const input = turns.map((u) => u.input_tokens);
    const cached = turns.map((u) => u.input_tokens_details.cached_tokens);
    assert.ok(input[0]! < input[1]! && input[1]! < input[2]!, `input tokens ${input.join(" < ")}`);
    assert.ok(cached[0]! < cached[1]! && cached[1]! < cached[2]!, `cached tokens ${cached.join(" < ")}`);
    // The slot holds the previous turn's prompt and reply: all of that prompt but its last few tokens is reused.
    assert.ok(cached[1]! >= input[0]! - 8 && cached[2]! >= input[1]! - 8, `cached ${cached.join(", ")} for input ${input.join(", ")}`);

    // The same conversation sent in full, with no stored state, counts as many tokens as the chain's last turn read.
    const history: ResponseInputItem[] = [
      { role: "user", content: "The first question of a long chat." }, ...(first.output as ResponseInputItem[]),
      { role: "user", content: "A second question." }, ...(second.output as ResponseInputItem[]),
      { role: "user", content: "A third question." },
    ];
    const counted = await client.responses.inputTokens.count({ model: MODEL, instructions: "Be brief.", input: history });
    assert.equal(counted.input_tokens, input[2]);
  });
});

describe("input_tokens", () => {
  test("counts exactly the input_tokens a response with the same body reports", async () => {
    const tools = [{ type: "function" as const, name: "lookup", description: "Looks a word up", parameters: { type: "object", properties: { word: { type: "string" } }, required: ["word"] }, strict: false }];
    const bodies = [
      { model: MODEL, input: "Count me." },
      { model: MODEL, instructions: "You are a counter.", input: [{ role: "user" as const, content: "Count me too, with tools." }], tools },
    ];
    for (const body of bodies) {
      const counted = await client.responses.inputTokens.count(body);
      assert.equal(counted.object, "response.input_tokens");
      const response = await client.responses.create({ ...body, max_output_tokens: 2 });
      assert.equal(counted.input_tokens, response.usage?.input_tokens, JSON.stringify(body));
    }
    const previous = await client.responses.create({ model: MODEL, input: "Earlier.", max_output_tokens: 3 });
    const continued = { model: MODEL, previous_response_id: previous.id, input: "Later." };
    const counted = await client.responses.inputTokens.count(continued);
    const response = await client.responses.create({ ...continued, max_output_tokens: 2 });
    assert.equal(counted.input_tokens, response.usage?.input_tokens, "with previous_response_id");
  });
});

describe("cancel", () => {
  test("cancelling a long streamed response ends its stream, frees its slot, and stores it as cancelled", async () => {
    const stream = strict.responses.stream({ model: MODEL, input: "A very long answer, please.", max_output_tokens: 30000 });
    // Read by hand: leaving a for-await loop would abort the SDK's stream, and this one must end by itself.
    const events = stream[Symbol.asyncIterator]();
    const seen: ResponseStreamEvent[] = [];
    let id: string | undefined;
    while (seen.filter((e) => e.type === "response.output_text.delta").length < 5) {
      const { value, done } = await events.next();
      assert.ok(done !== true, "the stream runs on");
      seen.push(value);
      if (value.type === "response.created") id = value.response.id;
    }
    assert.ok(id !== undefined);
    await assert.rejects(strict.responses.create({ model: MODEL, input: "busy?", max_output_tokens: 2 }), (error: unknown) => {
      assert.ok(error instanceof OpenAI.APIError && error.status === 503, `the one slot is busy: ${String(error)}`);
      return true;
    });
    const cancelled = await strict.responses.cancel(id);
    assert.equal(cancelled.id, id);
    assert.equal(cancelled.status, "cancelled");
    assert.equal(cancelled.object, "response", "the whole Response, as OpenAI answers a cancel");
    assert.ok(Array.isArray(cancelled.output));

    for (let next = await events.next(); next.done !== true; next = await events.next()) seen.push(next.value);
    const final = await stream.finalResponse();
    assert.equal(final.status, "cancelled");
    assert.equal(final.id, id);
    assert.deepEqual(seen.map((e) => e.sequence_number), seen.map((_, i) => i));
    assert.equal(seen.at(-1)?.type, "response.failed", "the SDK has no cancelled event: the last one carries status cancelled");
    await assert.rejects(strict.responses.cancel(id), OpenAI.BadRequestError, "a response that is no longer running cannot be cancelled");

    // The slot is free for the next request (a few tries: the slot returns just after the stream's end).
    let next: OpenAI.Responses.Response | undefined;
    for (let attempt = 0; next === undefined; attempt++) {
      try {
        next = await strict.responses.create({ model: MODEL, input: "short", max_output_tokens: 2 });
      } catch (error) {
        if (!(error instanceof OpenAI.APIError && error.status === 503) || attempt >= 20) throw error;
        await sleep(50);
      }
    }
    assert.equal(next.status, "incomplete");
    assert.equal(next.usage?.output_tokens, 2);
    const stored = await client.responses.retrieve(id);
    assert.equal(stored.status, "cancelled");
  });
});

describe("API keys", () => {
  let keyed: RunningServer;
  before(async () => {
    keyed = await startServer({ env: { API_KEYS: "sk-alice,sk-bob", MODEL_PARALLEL: "1" } });
  });
  after(async () => {
    assert.equal(await keyed.stop(), 0);
  });

  test("one key never reads, lists, deletes or continues another key's response", async () => {
    const alice = new OpenAI({ baseURL: `${keyed.baseUrl}/v1`, apiKey: "sk-alice", maxRetries: 3 });
    const bob = new OpenAI({ baseURL: `${keyed.baseUrl}/v1`, apiKey: "sk-bob", maxRetries: 3 });
    const created = await alice.responses.create({ model: MODEL, input: "Alice's secret.", max_output_tokens: 4 });
    await assert.rejects(bob.responses.retrieve(created.id), notFound("previous_response_not_found"));
    await assert.rejects(bob.responses.inputItems.list(created.id), notFound("previous_response_not_found"));
    await assert.rejects(bob.responses.delete(created.id), notFound("previous_response_not_found"));
    await assert.rejects(bob.responses.create({ model: MODEL, input: "Tell me.", previous_response_id: created.id, max_output_tokens: 2 }),
      notFound("previous_response_not_found", "previous_response_id"));
    assert.deepEqual(await alice.responses.retrieve(created.id), created, "still there for its owner");

    // An item_reference to the other key's reply names nothing: Bob's prompt is as long as without it, Alice's longer.
    const reply = created.output[0]!.id!;
    const question: ResponseInputItem = { role: "user", content: "And then?" };
    const referencing: ResponseInputItem[] = [{ type: "item_reference", id: reply }, question];
    const bare = (await bob.responses.inputTokens.count({ model: MODEL, input: [question] })).input_tokens;
    assert.equal((await bob.responses.inputTokens.count({ model: MODEL, input: referencing })).input_tokens, bare);
    assert.ok((await alice.responses.inputTokens.count({ model: MODEL, input: referencing })).input_tokens > bare);
  });
});
