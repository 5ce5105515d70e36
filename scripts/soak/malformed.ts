// Malformed clients: invalid JSON, wrong shapes and types, foreign content types and origins, a DNS-rebinding Host,
// truncated bodies and bytes that aren't HTTP. Each must be a 4xx (or, for a body cut short or a request that isn't
// HTTP, a closed connection), never a 5xx.
import { randomBytes } from "node:crypto";
import { MODEL, randomInt, rawPost, sleep } from "./http.js";
import { runRounds, type ClientContext } from "./loop.js";
import { sendRefusal, type RefusalCase } from "./refused.js";

const valid = JSON.stringify({ model: MODEL, messages: [{ role: "user", content: "hi" }], max_tokens: 8 });
const validAnthropic = JSON.stringify({ model: MODEL, max_tokens: 8, messages: [{ role: "user", content: "hi" }] });

const CASES: RefusalCase[] = [
  { name: "invalid JSON", send: { path: "/v1/chat/completions", body: () => valid.slice(0, randomInt(1, valid.length - 1)) } },
  { name: "garbage bytes", send: { path: "/v1/messages", body: () => Uint8Array.from(randomBytes(randomInt(1, 4000))) } },
  { name: "invalid UTF-8", send: { path: "/v1/chat/completions", body: () => Uint8Array.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31]) } },
  { name: "form-encoded body", send: { path: "/v1/chat/completions", body: () => "model=qwen3-0.6b&prompt=hi", headers: { "content-type": "application/x-www-form-urlencoded" } } },
  { name: "multipart body", send: { path: "/v1/messages", body: () => "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--b--", headers: { "content-type": "multipart/form-data; boundary=b" } } },
  { name: "cross-origin text/plain", send: { path: "/v1/chat/completions", body: () => valid, headers: { "content-type": "text/plain", origin: "http://evil.example" } } },
  { name: "empty body", send: { path: "/v1/messages", body: () => "" } },
  { name: "JSON of the wrong shape", send: { path: "/v1/chat/completions", body: () => ["[]", "null", "\"hi\"", "42", "{}"][randomInt(0, 4)]! } },
  { name: "wrong field types", send: { path: "/v1/chat/completions", body: () => JSON.stringify({ model: MODEL, messages: "hi", max_tokens: -5, temperature: "hot" }) } },
  { name: "OpenAI body at the Anthropic endpoint", send: { path: "/v1/messages", body: () => JSON.stringify({ model: MODEL, messages: [{ role: "system", content: "x" }] }) } },
  { name: "unknown path", send: { path: "/v1/nothing-here", body: () => valid } },
  { name: "GET on a POST endpoint", send: { path: "/v1/chat/completions", body: () => "", method: "GET" } },
  { name: "DNS-rebinding Host", send: { raw: (t) => rawPost(t, "/v1/messages", validAnthropic, { Host: "evil.example" }) } },
  // Content-Length promises more than is sent, then the client half-closes.
  { name: "truncated body", send: { raw: (t) => rawPost(t, "/v1/messages", validAnthropic, { "Content-Length": String(validAnthropic.length + 500) }), end: true }, mayClose: true },
  { name: "not HTTP", send: { raw: () => Uint8Array.from(randomBytes(randomInt(1, 512))), end: true }, mayClose: true },
  { name: "broken request line", send: { raw: () => "POST /v1/messages HTTP/9.9 extra\r\nHost: 127.0.0.1\r\n\r\n", end: true }, mayClose: true },
];

/** One malformed client: the cases in turn, at a brisk pace. */
export function malformedClient(ctx: ClientContext, maxRounds: number): Promise<void> {
  return runRounds(ctx, maxRounds, async (round) => {
    await sendRefusal(ctx.target, ctx.tally, CASES[round % CASES.length]!);
    await sleep(randomInt(20, 150));
  });
}
