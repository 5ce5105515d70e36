// Property-based hostile input against a real server: malformed bodies at every endpoint, raw byte garbage,
// mid-stream aborts and floods above the queue bound. Whatever a client sends: no 5xx for its mistake, the protocol's
// error shape, the process alive, and a normal request served right after.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import fc from "fast-check";
import { startServer, type RunningServer } from "./harness.js";

const MODEL = "qwen3-0.6b";
const RUNS = Number(process.env.HOSTILE_RUNS ?? 150);
let server: RunningServer;
let cases = 0;

before(async () => {
  server = await startServer({ env: { MODEL_PARALLEL: "2", MAX_QUEUE: "4", MAX_TOKENS_LIMIT: "16", MODEL_N_CTX: "1024" } });
});
after(async () => {
  assert.equal(server.process.exitCode, null, "the server never died");
  assert.equal(await server.stop(), 0);
});

const ENDPOINTS = {
  "/v1/chat/completions": { protocol: "openai", valid: { model: MODEL, messages: [{ role: "user", content: "hi" }], max_tokens: 4 } },
  "/v1/completions": { protocol: "openai", valid: { model: MODEL, prompt: "hi", max_tokens: 4 } },
  "/v1/messages": { protocol: "anthropic", valid: { model: MODEL, max_tokens: 4, messages: [{ role: "user", content: "hi" }] } },
  "/v1/messages/count_tokens": { protocol: "anthropic", valid: { model: MODEL, messages: [{ role: "user", content: "hi" }] } },
  "/v1/complete": { protocol: "anthropic", valid: { model: MODEL, prompt: "\n\nHuman: hi\n\nAssistant:", max_tokens_to_sample: 4 } },
  "/v1/inference": { protocol: "either", valid: { model: MODEL, messages: [{ role: "user", content: "hi" }], max_tokens: 4 } },
  [`/v1beta/models/${MODEL}:generateContent`]: { protocol: "gemini", valid: { contents: [{ role: "user", parts: [{ text: "hi" }] }], generationConfig: { maxOutputTokens: 4 } } },
  [`/v1beta/models/${MODEL}:streamGenerateContent?alt=sse`]: { protocol: "gemini", valid: { contents: [{ parts: [{ text: "hi" }] }], generationConfig: { maxOutputTokens: 4 } } },
  [`/v1/models/${MODEL}:countTokens`]: { protocol: "gemini", valid: { contents: [{ role: "user", parts: [{ text: "hi" }] }] } },
  [`/v1beta/models/${MODEL}:embedContent`]: { protocol: "gemini", valid: { content: { parts: [{ text: "hi" }] } } },
  "/api/chat": { protocol: "ollama", valid: { model: MODEL, stream: false, messages: [{ role: "user", content: "hi" }], options: { num_predict: 4 } } },
  "/api/generate": { protocol: "ollama", valid: { model: MODEL, prompt: "hi", options: { num_predict: 4 } } },
  "/api/show": { protocol: "ollama", valid: { model: MODEL } },
  "/api/embed": { protocol: "ollama", valid: { model: MODEL, input: ["hi"] } },
  "/api/pull": { protocol: "ollama", valid: { model: MODEL, stream: false } },
} as const;

/** Values that break assumptions: wrong types, extremes, odd strings, deep nesting. */
const nasty = fc.oneof(
  fc.constantFrom(null, true, -1, 0, 1e308, -1e308, 2 ** 53 + 1, 1.5, "", "\u0000", "\uD800", "x".repeat(5000), [], {}, [[[[[[]]]]]]),
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.array(fc.anything(), { maxLength: 4 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.anything(), { maxKeys: 4 }),
  fc.integer({ min: 1, max: 3000 }).map((depth) => JSON.parse("[".repeat(depth) + "]".repeat(depth)) as unknown),
);

/** A valid body with one field removed, replaced or added, or a value deep inside swapped. */
function mutated(valid: Record<string, unknown>): fc.Arbitrary<unknown> {
  const keys = Object.keys(valid);
  return fc.oneof(
    fc.constantFrom(...keys).map((key) => Object.fromEntries(Object.entries(valid).filter(([k]) => k !== key))),
    fc.tuple(fc.constantFrom(...keys), nasty).map(([key, value]) => ({ ...valid, [key]: value })),
    fc.tuple(fc.string({ maxLength: 20 }), nasty).map(([key, value]) => ({ ...valid, [key]: value })),
    fc.tuple(nasty, nasty).map(([role, content]) => ({ ...valid, messages: [{ role, content }] })),
    fc.tuple(nasty, nasty).map(([role, parts]) => ({ ...valid, contents: [{ role, parts }] })),
    fc.tuple(nasty, nasty).map(([text, thought]) => ({ ...valid, contents: [{ role: "user", parts: [{ text, thought }] }] })),
    fc.anything(),
  );
}

interface Answer { status: number; body: string; json: unknown }

async function send(path: string, payload: string | Uint8Array, contentType = "application/json"): Promise<Answer> {
  const response = await fetch(`${server.baseUrl}${path}`, { method: "POST", headers: { "content-type": contentType }, body: payload });
  const body = await response.text();
  let json: unknown;
  try { json = JSON.parse(body); } catch { json = undefined; }
  return { status: response.status, body, json };
}

/** Asserts an answer is a success or a client error in one of the protocols' error shapes — never a 5xx. */
function assertClientSafe(path: string, answer: Answer): void {
  cases++;
  assert.ok(answer.status < 500, `${path} answered ${answer.status}: ${answer.body.slice(0, 300)}`);
  if (answer.status < 400) return;
  const { protocol } = ENDPOINTS[path as keyof typeof ENDPOINTS];
  if (protocol === "ollama") {
    assert.equal(typeof (answer.json as { error?: unknown } | undefined)?.error, "string", `Ollama's error shape: ${answer.body.slice(0, 200)}`);
    return;
  }
  const json = answer.json as { type?: string; error?: { message?: unknown; type?: unknown; status?: unknown } } | undefined;
  assert.equal(typeof json?.error?.message, "string", `error shape: ${answer.body.slice(0, 200)}`);
  if (protocol === "gemini") assert.equal(typeof json?.error?.status, "string", `Gemini's error shape: ${answer.body.slice(0, 200)}`);
  if (protocol === "anthropic") assert.equal(json?.type, "error");
  if (protocol === "openai") assert.equal(json?.type, undefined);
}

async function assertStillServing(): Promise<void> {
  const answer = await send("/v1/chat/completions", JSON.stringify(ENDPOINTS["/v1/chat/completions"].valid));
  assert.equal(answer.status, 200, answer.body);
}

describe("hostile input", () => {
  for (const [path, { valid }] of Object.entries(ENDPOINTS)) {
    test(`${path}: malformed JSON bodies`, async () => {
      await fc.assert(fc.asyncProperty(mutated(valid), async (body) => {
        assertClientSafe(path, await send(path, JSON.stringify(body) ?? "null"));
      }), { numRuns: RUNS });
      await assertStillServing();
    });
  }

  test("raw bytes: truncated JSON, invalid UTF-8, odd content types", async () => {
    const text = JSON.stringify(ENDPOINTS["/v1/messages"].valid);
    await fc.assert(fc.asyncProperty(
      fc.constantFrom(...Object.keys(ENDPOINTS)),
      fc.oneof(
        fc.nat({ max: text.length }).map((n) => text.slice(0, n)),
        fc.uint8Array({ maxLength: 200 }),
        fc.constant(Uint8Array.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d])),
      ),
      fc.constantFrom("application/json", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data", ""),
      async (path, payload, contentType) => {
        assertClientSafe(path, await send(path, payload, contentType));
      },
    ), { numRuns: RUNS });
    await assertStillServing();
  });

  test("streams aborted mid-way, and floods above the queue bound, leave the server serving", async () => {
    const streamBody = JSON.stringify({ model: MODEL, max_tokens: 16, stream: true, messages: [{ role: "user", content: "go" }] });
    await Promise.all(Array.from({ length: 12 }, async (_, i) => {
      const controller = new AbortController();
      try {
        const response = await fetch(`${server.baseUrl}/v1/messages`, { method: "POST", headers: { "content-type": "application/json" }, body: streamBody, signal: controller.signal });
        const reader = response.body!.getReader();
        for (let read = 0; read < i % 4; read++) await reader.read();
        controller.abort();
      } catch { /* aborted */ }
      cases++;
    }));
    const flood = await Promise.all(Array.from({ length: 30 }, (_, i) =>
      send(i % 2 === 0 ? "/v1/chat/completions" : "/v1/messages", JSON.stringify(i % 2 === 0 ? ENDPOINTS["/v1/chat/completions"].valid : ENDPOINTS["/v1/messages"].valid))));
    for (const [i, answer] of flood.entries()) {
      assertClientSafe(i % 2 === 0 ? "/v1/chat/completions" : "/v1/messages", answer.status === 529 ? { ...answer, status: 429 } : answer);
      assert.ok([200, 429, 529].includes(answer.status), `flood answer ${answer.status}`);
    }
    assert.ok(flood.some((a) => a.status === 429 || a.status === 529), "the bound refused some at once");
    await assertStillServing();
  });

  test("case count", (t) => {
    t.diagnostic(`hostile-input cases: ${cases}`);
    assert.ok(cases >= RUNS * 7);
  });
});
