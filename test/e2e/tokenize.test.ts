// /tokenize and /detokenize against independent truths: node-llama-cpp's own tokenizer on the fixture in this
// process, the chat template rendered here with node-llama-cpp's wrapper, and the usage of a real chat completion.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { getLlama, resolveChatWrapper, type ChatHistoryItem, type LlamaModel, type Token } from "node-llama-cpp";
import { fixtureModel, startServer, type RunningServer } from "./harness.js";

const MODEL = "qwen3-0.6b";
let server: RunningServer;
let model: LlamaModel;

before(async () => {
  server = await startServer({ env: { MODEL_N_CTX: "1024" } });
  model = await (await getLlama({ gpu: false })).loadModel({ modelPath: await fixtureModel() });
});
after(async () => {
  await model.dispose();
  assert.equal(await server.stop(), 0);
});

async function post(path: string, body: unknown): Promise<{ status: number; json: any }> {
  const response = await fetch(`${server.baseUrl}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  return { status: response.status, json: await response.json() };
}

const TEXTS = ["Hello, world!", "The quick brown fox jumps over the lazy dog.", "function add(a: number, b: number) { return a + b; }", "  two  spaces\nand a newline"];

test("the tokens of a text are node-llama-cpp's own, with and without add_special, for the named and the default model", async () => {
  for (const content of TEXTS) {
    const plain = model.tokenize(content, true);
    assert.deepEqual((await post("/tokenize", { model: MODEL, content })).json, { tokens: plain }, content);
    assert.deepEqual((await post("/tokenize", { content })).json, { tokens: plain }, `${content}, default model`);
    const { bos, eos, shouldPrependBosToken, shouldAppendEosToken } = model.tokens;
    const special = [...(shouldPrependBosToken && bos !== null ? [bos] : []), ...plain, ...(shouldAppendEosToken && eos !== null ? [eos] : [])];
    assert.deepEqual((await post("/tokenize", { content, add_special: true })).json, { tokens: special }, `${content}, add_special`);
  }
  // parse_special: markup is one special token, or plain text when false.
  const markup = "<|im_start|>user";
  assert.deepEqual((await post("/tokenize", { content: markup })).json.tokens, model.tokenize(markup, true));
  assert.deepEqual((await post("/tokenize", { content: markup, parse_special: false })).json.tokens, model.tokenize(markup, false));
  assert.notDeepEqual(model.tokenize(markup, true), model.tokenize(markup, false));
});

test("detokenize gives back ASCII text exactly, and pieces join to the text", async () => {
  for (const content of TEXTS) {
    const { json } = await post("/tokenize", { content });
    assert.deepEqual(await post("/detokenize", { model: MODEL, tokens: json.tokens }), { status: 200, json: { content } });
    const pieces = (await post("/tokenize", { content, with_pieces: true })).json.tokens as { id: number; piece: string | number[] }[];
    assert.deepEqual(pieces.map((p) => p.id), json.tokens);
    assert.equal(pieces.map((p) => p.piece).join(""), content);
  }
});

test("pieces of text outside ASCII are strings or bytes whose bytes, joined, are the text's", async () => {
  const content = "Größe 我们 😀";
  const pieces = (await post("/tokenize", { content, with_pieces: true })).json.tokens as { id: number; piece: string | number[] }[];
  const bytes = Buffer.concat(pieces.map((p) => (typeof p.piece === "string" ? Buffer.from(p.piece) : Buffer.from(p.piece))));
  assert.deepEqual([...bytes], [...Buffer.from(content)]);
  for (const { id, piece } of pieces) {
    if (Array.isArray(piece)) assert.throws(() => new TextDecoder("utf-8", { fatal: true }).decode(Buffer.from(piece)), `token ${id}'s bytes are not valid UTF-8 alone`);
  }
  assert.equal((await post("/detokenize", { tokens: pieces.map((p) => p.id) })).json.content, content);
});

test("ids outside the vocabulary are a 400 naming tokens[i], in OpenAI's error shape", async () => {
  const size = (model.fileInfo.metadata.tokenizer.ggml.tokens as unknown[]).length;
  const { status, json } = await post("/detokenize", { tokens: [1, 2, size] });
  assert.equal(status, 400);
  assert.equal(json.error.param, "tokens[2]");
  assert.equal(json.error.type, "invalid_request_error");
  assert.equal((await post("/detokenize", { tokens: [-1] })).status, 400);
  assert.equal((await post("/detokenize", { tokens: [size - 1] })).status, 200);
  assert.equal((await post("/tokenize", { model: "nope", content: "x" })).status, 404);
});

const CHATS: { messages: { role: "system" | "user" | "assistant"; content: string }[] }[] = [
  { messages: [{ role: "user", content: "Count me" }] },
  { messages: [{ role: "system", content: "System text, with a few more words in it." }, { role: "user", content: "a" }, { role: "assistant", content: "b" }, { role: "user", content: "c" }] },
];

function historyOf(messages: (typeof CHATS)[number]["messages"]): ChatHistoryItem[] {
  return messages.map((m): ChatHistoryItem => (m.role === "system" ? { type: "system", text: m.content } : m.role === "user" ? { type: "user", text: m.content } : { type: "model", response: [m.content] }));
}

test("the chat form's tokens are the prompt a chat completion reads: its usage, and the template rendered here", async () => {
  const wrapper = resolveChatWrapper(model, { customWrapperSettings: { qwen: { thoughts: "auto" } } });
  for (const { messages } of CHATS) {
    const { status, json } = await post("/tokenize", { model: MODEL, messages });
    assert.equal(status, 200, JSON.stringify(json));
    assert.equal(json.count, json.tokens.length);
    assert.equal(json.max_model_len, 1024);
    const rendered = wrapper.generateContextState({ chatHistory: [...historyOf(messages), { type: "model", response: [] }] }).contextText.tokenize(model.tokenizer);
    assert.deepEqual(json.tokens, rendered, JSON.stringify(messages));
    const completion = await post("/v1/chat/completions", { model: MODEL, messages, max_tokens: 1 });
    assert.equal(json.count, completion.json.usage.prompt_tokens, JSON.stringify(messages));
    assert.equal(model.detokenize(json.tokens as Token[], true).includes(messages.at(-1)!.content), true);
  }
  const refused = await post("/tokenize", { messages: CHATS[0]!.messages, add_generation_prompt: false });
  assert.equal(refused.status, 400);
  assert.equal(refused.json.error.param, "add_generation_prompt");
});
