// Ollama's API through the official `ollama` library and LangChain's ChatOllama, against a real server on the
// finishing fixture (its reply and thought are the truth), an on-demand chat model and an embedding model.
import assert from "node:assert/strict";
import { createReadStream, existsSync, mkdtempSync, statSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { ChatOllama } from "@langchain/ollama";
import { Ollama } from "ollama";
import { FINISHING_REPLY, FINISHING_THOUGHT, FinishingReply } from "../../src/fixture/finishing-reply.js";
import { fixtureModel, startServer, type RunningServer } from "./harness.js";

const MODEL = "qwen3-0.6b";
const CONTEXT = 4096;
let server: RunningServer;
let ollama: Ollama;
let finishingPath: string;
let embeddingPath: string;
let files: Server;
let cache: string;

before(async () => {
  const dir = mkdtempSync(join(tmpdir(), "lals-ollama-"));
  const config = join(dir, "models.json");
  embeddingPath = await fixtureModel("embedding");
  finishingPath = await fixtureModel("finishing");
  // A model whose file comes from a URL (a local file server: tests never leave loopback), for /api/pull.
  const tiny = await fixtureModel();
  files = createServer((request, response) => {
    if (request.url !== "/models/pulled.gguf") return void response.writeHead(404).end();
    response.writeHead(200, { "content-type": "application/octet-stream", "content-length": String(statSync(tiny).size) });
    createReadStream(tiny).pipe(response);
  });
  await new Promise<void>((resolve) => files.listen(0, "127.0.0.1", resolve));
  cache = mkdtempSync(join(tmpdir(), "lals-ollama-cache-"));
  writeFileSync(config, JSON.stringify({
    models: [
      { id: "remote", path: `http://127.0.0.1:${(files.address() as AddressInfo).port}/models/pulled.gguf`, contextSize: 512 },
      { id: "embed", path: embeddingPath, contextSize: 256 },
      { id: "second", path: await fixtureModel(), contextSize: 1024, parallel: 1 },
    ],
  }));
  server = await startServer({ fixture: "finishing", env: { MODEL_PARALLEL: "2", MODEL_N_CTX: String(CONTEXT), LALS_CONFIG: config, MODEL_CACHE_DIR: cache } });
  ollama = new Ollama({ host: server.baseUrl });
});
after(async () => {
  assert.equal(await server.stop(), 0);
  await new Promise<void>((resolve) => files.close(() => resolve()));
});

/** The reply's tokens, and the end-of-turn token the model generated after them. */
const REPLY_TOKENS = FinishingReply.pieces.length + 1;
const NS_PER_MS = 1e6;

describe("chat", () => {
  test("not streamed: the reply, done_reason stop, counts that match the tokens, durations measured within the call", async () => {
    const started = performance.now();
    const response = await ollama.chat({ model: MODEL, messages: [{ role: "system", content: "Be brief." }, { role: "user", content: "Hello?" }], stream: false });
    const wallNs = (performance.now() - started) * NS_PER_MS;
    assert.equal(response.message.role, "assistant");
    assert.equal(response.message.content, FINISHING_REPLY);
    assert.equal(response.done, true);
    assert.equal(response.done_reason, "stop");
    assert.equal(response.model, MODEL);
    assert.equal(response.eval_count, REPLY_TOKENS);
    assert.ok(response.prompt_eval_count > 5);
    for (const name of ["total_duration", "load_duration", "prompt_eval_duration", "eval_duration"] as const) {
      assert.ok(Number.isInteger(response[name]) && response[name] >= 0, `${name} ${response[name]}`);
    }
    assert.ok(response.eval_duration > 0 && response.eval_duration <= response.total_duration, JSON.stringify(response));
    assert.ok(response.total_duration <= wallNs, `${response.total_duration} ns within the ${wallNs} ns the call took`);
    assert.ok(!Number.isNaN(Date.parse(response.created_at as unknown as string)));
  });

  test("llama.cpp's samplers in options (min_p, repeat_penalty, repeat_last_n) are applied; a runner setting is counted as ignored", async () => {
    const response = await ollama.chat({
      model: MODEL, messages: [{ role: "user", content: "Hello?" }], stream: false,
      options: { min_p: 0.05, repeat_penalty: 1.1, repeat_last_n: -1, top_k: 40, num_thread: 3 },
    });
    assert.equal(response.done, true);
    assert.ok(response.eval_count > 0);
    const metrics = await (await fetch(`${server.baseUrl}/metrics`)).text();
    const ignored = (field: string) => new RegExp(`lals_ignored_fields_total\\{[^}]*field="options\\.${field}"[^}]*\\} [1-9]`).test(metrics);
    assert.ok(ignored("num_thread"), "num_thread is counted");
    for (const field of ["min_p", "repeat_penalty", "repeat_last_n", "top_k"]) assert.ok(!ignored(field), `${field} is applied, not counted as ignored`);
  });

  test("streamed: lines whose content adds up to the reply, then one final line with the statistics", async () => {
    let text = "";
    const lines = [];
    for await (const part of await ollama.chat({ model: MODEL, messages: [{ role: "user", content: "Hello?" }], stream: true })) {
      lines.push(part);
      text += part.message.content;
    }
    assert.equal(text, FINISHING_REPLY);
    assert.ok(lines.length > 2);
    assert.ok(lines.slice(0, -1).every((l) => l.done === false));
    const last = lines.at(-1)!;
    assert.equal(last.done, true);
    assert.equal(last.done_reason, "stop");
    assert.equal(last.eval_count, REPLY_TOKENS);
    assert.ok(last.eval_duration > 0);
  });

  test("without `stream`, the raw API streams NDJSON, as Ollama does", async () => {
    const response = await fetch(`${server.baseUrl}/api/chat`, { method: "POST", body: JSON.stringify({ model: MODEL, messages: [{ role: "user", content: "hi" }] }) });
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-type") ?? "", /application\/x-ndjson/);
    const lines = (await response.text()).trim().split("\n").map((l) => JSON.parse(l) as { message: { content: string }; done: boolean });
    assert.equal(lines.map((l) => l.message.content).join(""), FINISHING_REPLY);
    assert.equal(lines.at(-1)?.done, true);
  });

  test("think: the thought in message.thinking, the reply in content", async () => {
    const response = await ollama.chat({ model: MODEL, messages: [{ role: "user", content: "Greet me" }], think: true, stream: false });
    assert.equal(response.message.thinking, FINISHING_THOUGHT);
    assert.equal(response.message.content, FINISHING_REPLY);
    let thinking = "";
    let content = "";
    for await (const part of await ollama.chat({ model: MODEL, messages: [{ role: "user", content: "Greet me" }], think: "high", stream: true })) {
      thinking += part.message.thinking ?? "";
      content += part.message.content;
    }
    assert.equal(thinking, FINISHING_THOUGHT);
    assert.equal(content, FINISHING_REPLY);
    const off = await ollama.chat({ model: MODEL, messages: [{ role: "user", content: "Greet me" }], think: false, stream: false });
    assert.equal(off.message.thinking, undefined);
    assert.equal(off.message.content, FINISHING_REPLY);
  });

  test("format as a JSON schema: content that parses and fits", async () => {
    const schema = { type: "object", properties: { colour: { type: "string", enum: ["red", "blue"] }, count: { type: "integer", enum: [1, 2, 3] } }, required: ["colour", "count"] };
    const response = await ollama.chat({ model: MODEL, messages: [{ role: "user", content: "A colour and a count" }], format: schema, stream: false });
    const parsed = JSON.parse(response.message.content) as { colour: string; count: number };
    assert.ok(["red", "blue"].includes(parsed.colour) && [1, 2, 3].includes(parsed.count), response.message.content);
    const json = await ollama.chat({ model: MODEL, messages: [{ role: "user", content: "Some JSON" }], format: "json", stream: false });
    assert.equal(typeof JSON.parse(json.message.content), "object");
  });

  test("tools: a call forced with tool_choice comes with arguments as an object; its result is read back", async () => {
    const tools = [{
      type: "function",
      function: {
        name: "get_weather", description: "Weather forecast",
        parameters: { type: "object", properties: { city: { type: "string", enum: ["Paris", "Rome"] } }, required: ["city"] },
      },
    }];
    const messages = [{ role: "user", content: "Weather in Paris?" }];
    // tool_choice is LALS's: Ollama has no way to force a call, and the test model never calls one by itself.
    const request = { model: MODEL, messages, tools, tool_choice: "required", stream: false as const };
    const response = await ollama.chat(request as Parameters<Ollama["chat"]>[0] & { stream: false });
    const calls = response.message.tool_calls ?? [];
    assert.equal(calls.length, 1);
    assert.equal(calls[0]!.function.name, "get_weather");
    assert.ok(["Paris", "Rome"].includes(calls[0]!.function.arguments.city as string), JSON.stringify(calls));
    assert.equal(response.done_reason, "stop");

    const answered = await ollama.chat({
      model: MODEL, tools, stream: false,
      messages: [...messages, response.message, { role: "tool", content: '{"forecast": "sunny"}', tool_name: "get_weather" }],
    });
    assert.equal(answered.message.content, FINISHING_REPLY);
    assert.ok(answered.prompt_eval_count > response.prompt_eval_count, "the call and its result are in the prompt");
  });

  test("an unknown model is a 404 in Ollama's shape", async () => {
    await assert.rejects(ollama.chat({ model: "no-such-model", messages: [{ role: "user", content: "hi" }] }), (error: unknown) => {
      assert.equal((error as { status_code?: number }).status_code, 404);
      assert.match((error as Error).message, /no-such-model/);
      return true;
    });
    const raw = await fetch(`${server.baseUrl}/api/chat`, { method: "POST", body: JSON.stringify({ model: MODEL, messages: "nope" }) });
    assert.equal(raw.status, 400);
    const body = await raw.json() as { error: unknown };
    assert.equal(typeof body.error, "string");
  });
});

describe("generate", () => {
  test("a prompt gets the reply as `response`, streamed or not, with the statistics", async () => {
    const response = await ollama.generate({ model: MODEL, prompt: "Hello?", system: "Be brief.", stream: false });
    assert.equal(response.response, FINISHING_REPLY);
    assert.equal(response.done_reason, "stop");
    assert.equal(response.eval_count, REPLY_TOKENS);
    let text = "";
    for await (const part of await ollama.generate({ model: MODEL, prompt: "Hello?", stream: true })) text += part.response;
    assert.equal(text, FINISHING_REPLY);
  });

  test("raw continues the prompt as is: the template's assistant turn written by the caller still gets the reply", async () => {
    const prompt = "<|im_start|>user\nHello?<|im_end|>\n<|im_start|>assistant\n";
    const response = await ollama.generate({ model: MODEL, prompt, raw: true, stream: false, options: { num_predict: 40 } });
    assert.equal(response.response, FINISHING_REPLY);
  });

  test("a suffix (fill-in-the-middle) is refused clearly", async () => {
    const raw = await fetch(`${server.baseUrl}/api/generate`, { method: "POST", body: JSON.stringify({ model: MODEL, prompt: "def f(", suffix: "return 1", stream: false }) });
    assert.equal(raw.status, 400);
    assert.match((await raw.json() as { error: string }).error, /suffix|infill/i);
  });
});

describe("models", () => {
  test("keep_alive: an empty generate loads a model on demand, ps shows it with its expiry, keep_alive 0 unloads it", async () => {
    const loaded = await ollama.generate({ model: "second", prompt: "", stream: false });
    assert.equal(loaded.done, true);
    assert.equal(loaded.done_reason, "load");
    const running = await ollama.ps();
    const second = running.models.find((m) => m.name === "second");
    assert.ok(second !== undefined, JSON.stringify(running));
    assert.ok(second.size > 0 && Date.parse(second.expires_at as unknown as string) > Date.now(), JSON.stringify(second));
    const unloaded = await ollama.generate({ model: "second", prompt: "", keep_alive: 0, stream: false });
    assert.equal(unloaded.done_reason, "unload");
    assert.equal((await ollama.ps()).models.some((m) => m.name === "second"), false);
  });

  test("list: every configured model with its file's size, format and family; vendor name globs left out", async () => {
    const { models } = await ollama.list();
    const names = models.map((m) => m.name);
    for (const name of [MODEL, "embed", "second"]) assert.ok(names.includes(name), JSON.stringify(names));
    assert.ok(names.every((n) => !n.includes("*")), JSON.stringify(names));
    const ours = models.find((m) => m.name === MODEL)!;
    assert.equal(ours.size, statSync(finishingPath).size);
    assert.equal(ours.details.format, "gguf");
    assert.equal(ours.details.family, "qwen3");
    assert.match(ours.digest, /^[0-9a-f]{64}$/);
    assert.equal(typeof ours.details.quantization_level, "string");
  });

  test("show: the GGUF's metadata, its chat template and the model's capabilities", async () => {
    const shown = await ollama.show({ model: MODEL });
    // The library types it as a Map; on the wire, as from Ollama, it is a JSON object.
    const info = shown.model_info as unknown as Record<string, unknown>;
    assert.equal(info["general.architecture"], "qwen3");
    assert.equal(typeof info["qwen3.context_length"], "number", JSON.stringify(Object.keys(info)));
    assert.match(shown.template, /im_start/);
    const capabilities = (shown as unknown as { capabilities: string[] }).capabilities;
    assert.ok(capabilities.includes("completion") && !capabilities.includes("embedding"), JSON.stringify(capabilities));
    const embedder = await ollama.show({ model: "embed" });
    assert.deepEqual((embedder as unknown as { capabilities: string[] }).capabilities, ["embedding"]);
    await assert.rejects(ollama.show({ model: "nope" }), (error: unknown) => (error as { status_code?: number }).status_code === 404);
  });

  test("pull: a configured model's file downloaded with progress lines, then success; a name that is no local model refused", async () => {
    const statuses = [];
    for await (const progress of await ollama.pull({ model: "remote", stream: true })) statuses.push(progress);
    assert.equal(statuses.at(-1)?.status, "success", JSON.stringify(statuses));
    assert.ok(existsSync(join(cache, "pulled.gguf")), "the file is in MODEL_CACHE_DIR");
    const size = statSync(join(cache, "pulled.gguf")).size;
    for (const line of statuses.filter((s) => s.total > 0)) assert.ok(line.completed <= line.total && line.total === size, JSON.stringify(line));
    const listed = (await ollama.list()).models.find((m) => m.name === "remote");
    assert.equal(listed?.size, size);
    assert.deepEqual(await ollama.pull({ model: "remote", stream: false }), { status: "success" }, "already there: success at once");
    await assert.rejects(ollama.pull({ model: "llama3.2:latest" }), (error: unknown) => (error as { status_code?: number }).status_code === 404);
  });

  test("version: a version string", async () => {
    const { version } = await ollama.version();
    assert.match(version, /^\d+\.\d+\.\d+/);
  });
});

describe("embeddings", () => {
  test("embed: one vector per input, in order, of the model's width; the legacy endpoint gives the same vector", async () => {
    const response = await ollama.embed({ model: "embed", input: ["the quick brown fox", "jumps over the lazy dog"] });
    assert.equal(response.embeddings.length, 2);
    const width = response.embeddings[0]!.length;
    assert.ok(width > 0 && response.embeddings.every((v) => v.length === width));
    assert.notDeepEqual(response.embeddings[0], response.embeddings[1]);
    assert.ok(response.prompt_eval_count! > 0);
    const single = await ollama.embed({ model: "embed", input: "the quick brown fox" });
    assert.deepEqual(single.embeddings[0]!.map((x) => x.toFixed(5)), response.embeddings[0]!.map((x) => x.toFixed(5)));
    const legacy = await ollama.embeddings({ model: "embed", prompt: "the quick brown fox" });
    assert.equal(legacy.embedding.length, width);
  });

  test("a chat model asked to embed is a 400", async () => {
    await assert.rejects(ollama.embed({ model: MODEL, input: "x" }), (error: unknown) => (error as { status_code?: number }).status_code === 400);
  });
});

describe("LangChain ChatOllama", () => {
  test("invoke and stream give the reply", async () => {
    const chat = new ChatOllama({ baseUrl: server.baseUrl, model: MODEL });
    const message = await chat.invoke("Hello?");
    assert.equal(message.content, FINISHING_REPLY);
    let text = "";
    for await (const chunk of await chat.stream("Hello?")) text += chunk.content as string;
    assert.equal(text, FINISHING_REPLY);
  });
});

test("GET / answers Ollama's clients as Ollama does; HEAD / succeeds", async () => {
  const probe = await fetch(`${server.baseUrl}/`, { headers: { "user-agent": "ollama/0.12.0 (amd64 linux) Go/go1.24" } });
  assert.equal(probe.status, 200);
  assert.equal(await probe.text(), "Ollama is running");
  assert.equal((await fetch(`${server.baseUrl}/`, { method: "HEAD" })).status, 200);
  const other = await fetch(`${server.baseUrl}/`);
  assert.equal((await other.json() as { name: string }).name, "lals");
});
