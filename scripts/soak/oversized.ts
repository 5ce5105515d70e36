// Oversized clients: bodies past the bounds of src/protocols/limits.ts and the 32 MiB body limit, each of which must be
// refused (400 or 413) before any expensive work, with the process alive and its memory bounded. Bodies are built once
// and reused.
import { MODEL, randomInt, sleep } from "./http.js";
import { runRounds, type ClientContext } from "./loop.js";
import { sendRefusal, type RefusalCase } from "./refused.js";

const once = <T>(make: () => T): (() => T) => {
  let value: T | undefined;
  return () => (value ??= make());
};
const chat = (extra: Record<string, unknown>) => JSON.stringify({ model: MODEL, messages: [{ role: "user", content: "hi" }], max_tokens: 8, ...extra });
const MiB = 1024 * 1024;

const CASES: RefusalCase[] = [
  { name: "10k stop sequences", send: { path: "/v1/chat/completions", body: once(() => chat({ stop: Array.from({ length: 10_000 }, (_, i) => `s${i}`) })) } },
  { name: "3 MB stop string", send: { path: "/v1/chat/completions", body: once(() => chat({ stop: "x".repeat(3 * MiB) })) } },
  { name: "3 MB stop_sequences item", send: { path: "/v1/messages", body: once(() => JSON.stringify({ model: MODEL, max_tokens: 8, stop_sequences: ["y".repeat(3 * MiB)], messages: [{ role: "user", content: "hi" }] })) } },
  // Ten million invalid items: valid JSON under the body limit.
  { name: "20 MB junk array", send: { path: "/v1/chat/completions", body: once(() => Buffer.from(`{"model":"${MODEL}","messages":[${"1,".repeat(10_000_000 - 1)}1]}`)) } },
  { name: "100k-deep nesting", send: { path: "/v1/messages", body: once(() => `{"model":"${MODEL}","max_tokens":8,"messages":${"[".repeat(100_000)}${"]".repeat(100_000)}}`) } },
  { name: "9 MB of text", send: { path: "/v1/messages", body: once(() => JSON.stringify({ model: MODEL, max_tokens: 8, messages: [{ role: "user", content: "z".repeat(9 * MiB) }] })) } },
  // Past the body limit: the server may answer 413 before reading it all and close, which fetch may see as a reset.
  { name: "40 MB body", send: { path: "/v1/chat/completions", body: once(() => Buffer.from(chat({ padding: "p".repeat(40 * MiB) }))) }, mayClose: true },
  { name: "5000 messages", send: { path: "/v1/chat/completions", body: once(() => JSON.stringify({ model: MODEL, max_tokens: 8, messages: Array.from({ length: 5000 }, () => ({ role: "user", content: "hi" })) })) } },
  { name: "1000 tools", send: { path: "/v1/chat/completions", body: once(() => chat({ tools: Array.from({ length: 1000 }, (_, i) => ({ type: "function", function: { name: `f${i}`, parameters: { type: "object", properties: {} } } })) })) } },
  { name: "1000 logit_bias entries", send: { path: "/v1/chat/completions", body: once(() => chat({ logit_bias: Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [String(i), 1])) })) } },
  { name: "5000-char model name", send: { path: "/v1/messages", body: once(() => JSON.stringify({ model: "m".repeat(5000), max_tokens: 8, messages: [{ role: "user", content: "hi" }] })) } },
  // Under the 8 Mi-character text bound, but millions of tokens: refused before it is tokenized (it froze the event loop).
  { name: "count_tokens of 7.5 M characters", send: { path: "/v1/messages/count_tokens", body: once(() => JSON.stringify({ model: MODEL, messages: [{ role: "user", content: "lorem ipsum ".repeat(625_000) }] })) } },
  // One 100 KB message and 2,000 references to it: a 200 MB prompt once resolved, from a 150 KB request.
  { name: "item_reference bomb", send: { path: "/v1/responses/input_tokens", body: once(() => JSON.stringify({
    model: MODEL,
    input: [{ type: "message", id: "msg_bomb", role: "user", content: "b".repeat(100_000) }, ...Array.from({ length: 2000 }, () => ({ type: "item_reference", id: "msg_bomb" }))],
  })) } },
  { name: "streamed n above the slots", send: { path: "/v1/chat/completions", body: once(() => chat({ n: 3, stream: true })) } },
  { name: "schema 30 levels deep", send: { path: "/v1/chat/completions", body: once(() => {
    let schema: Record<string, unknown> = { type: "string" };
    for (let i = 0; i < 30; i++) schema = { type: "object", properties: { a: schema }, required: ["a"], additionalProperties: false };
    return chat({ response_format: { type: "json_schema", json_schema: { name: "deep", strict: true, schema } } });
  }) } },
];

/** One oversized client: the cases in turn, one at a time, with a pause so the heavy ones don't crowd out the rest. */
export function oversizedClient(ctx: ClientContext, maxRounds: number): Promise<void> {
  return runRounds(ctx, maxRounds, async (round) => {
    await sendRefusal(ctx.target, ctx.tally, CASES[round % CASES.length]!);
    await sleep(randomInt(200, 800));
  });
}
