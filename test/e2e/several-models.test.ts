// Several local models from LALS_CONFIG: loaded on first use, unloaded when idle or when memory is needed for another.
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { FINISHING_REPLY } from "../../src/fixture/finishing-reply.js";
import { fixtureModel, startServer, type RunningServer } from "./harness.js";

const dir = mkdtempSync(join(tmpdir(), "lals-models-"));

function configFile(models: unknown[]): string {
  const path = join(dir, `models-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, JSON.stringify({ models }));
  return path;
}

async function chat(server: RunningServer, model: string, maxTokens = 32): Promise<{ status: number; body: { choices?: Array<{ message: { content: string } }>; error?: { message: string } } }> {
  const response = await fetch(`${server.baseUrl}/v1/chat/completions`, {
    method: "POST", headers: { "content-type": "application/json" },
    body: JSON.stringify({ model, max_tokens: maxTokens, messages: [{ role: "user", content: "Hi" }] }),
  });
  return { status: response.status, body: (await response.json()) as never };
}

const logged = (server: RunningServer, msg: string, model: string) => server.logs.filter((l) => l.msg === msg && l.model === model).length;

describe("a second model loaded on demand, beside the default", () => {
  let server: RunningServer;
  before(async () => {
    const broken = join(dir, "broken.gguf");
    writeFileSync(broken, "not a gguf file");
    server = await startServer({
      env: {
        MODEL_IDLE_TTL: "2",
        LALS_CONFIG: configFile([
          { id: "second", path: await fixtureModel("finishing"), aliases: ["claude-haiku-*"], contextSize: 2048, parallel: 1 },
          { id: "broken", path: broken },
        ]),
      },
    });
  });
  after(async () => {
    assert.equal(await server.stop(), 0);
  });

  test("every configured model is listed, the on-demand ones as not loaded yet", async () => {
    const { data } = (await (await fetch(`${server.baseUrl}/v1/models`)).json()) as { data: Array<{ id: string; loaded?: boolean }> };
    assert.deepEqual(data.map((m) => [m.id, m.loaded]), [["qwen3-0.6b", undefined], ["second", false], ["broken", false], ["claude-haiku-*", false], ...["claude-*", "gpt-*", "chatgpt-*", "o<digit>*", "codex-*", "gemini-*"].map((id) => [id, undefined])]);
  });

  test("the second loads on its first request, by alias, while the default keeps streaming", async () => {
    const stream = await fetch(`${server.baseUrl}/v1/chat/completions`, {
      method: "POST", headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "qwen3-0.6b", max_tokens: 1500, stream: true, messages: [{ role: "user", content: "Go on" }] }),
    });
    const reader = stream.body!.getReader();
    await reader.read();
    let chunksDuringLoad = 0;
    let loading = true;
    const counting = (async () => {
      while (loading) {
        const { done } = await reader.read();
        if (done) break;
        chunksDuringLoad++;
      }
      await reader.cancel();
    })();
    const reply = await chat(server, "claude-haiku-4-5");
    loading = false;
    await counting;
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    assert.equal(reply.body.choices?.[0]?.message.content, FINISHING_REPLY);
    assert.equal(logged(server, "model loaded on demand", "second"), 1);
    assert.ok(chunksDuringLoad > 0, "the default model's stream went on while the second loaded");
    const { data } = (await (await fetch(`${server.baseUrl}/v1/models`)).json()) as { data: Array<{ id: string; loaded?: boolean }> };
    assert.equal(data.find((m) => m.id === "second")?.loaded, true);
    const metrics = await (await fetch(`${server.baseUrl}/metrics`)).text();
    assert.match(metrics, /^lals_model_loaded\{model="second"\} 1$/m);
    assert.match(metrics, /^lals_model_loaded\{model="broken"\} 0$/m);
    assert.match(metrics, /^lals_model_memory_bytes\{model="second"\} \d{6,}$/m);
    assert.match(metrics, /^lals_model_slots\{model="second"\} 1$/m);
    const info = (await (await fetch(`${server.baseUrl}/`)).json()) as { served: Array<{ id: string; loaded: boolean; memoryMiB?: number; slots: number }> };
    assert.deepEqual(info.served.map((m) => [m.id, m.loaded, m.slots]), [["qwen3-0.6b", true, 2], ["second", true, 1], ["broken", false, 0]]);
    assert.ok((info.served.find((m) => m.id === "second")?.memoryMiB ?? 0) > 0);
  });

  test("after MODEL_IDLE_TTL without requests it is unloaded; concurrent first requests then share one load", async () => {
    for (let i = 0; i < 50 && logged(server, "model unloaded", "second") === 0; i++) await new Promise((r) => setTimeout(r, 200));
    assert.equal(logged(server, "model unloaded", "second"), 1);
    const loadsBefore = logged(server, "model loaded on demand", "second");
    const replies = await Promise.all([chat(server, "second"), chat(server, "second"), chat(server, "claude-haiku-x")]);
    assert.deepEqual(replies.map((r) => r.body.choices?.[0]?.message.content), [FINISHING_REPLY, FINISHING_REPLY, FINISHING_REPLY]);
    assert.equal(logged(server, "model loaded on demand", "second") - loadsBefore, 1, "one load for three requests");
  });

  test("a file that cannot be loaded is a clear 503, and the other models keep serving", async () => {
    const broken = await chat(server, "broken");
    assert.equal(broken.status, 503);
    assert.match(broken.body.error?.message ?? "", /The model 'broken' could not be loaded/);
    assert.equal((await chat(server, "qwen3-0.6b", 4)).status, 200);
    assert.equal((await chat(server, "second")).body.choices?.[0]?.message.content, FINISHING_REPLY);
    assert.equal((await fetch(`${server.baseUrl}/health`)).status, 200, "/health follows the default model");
  });
});

describe("a memory limit that holds one on-demand model at a time", () => {
  let server: RunningServer;
  before(async () => {
    const finishing = await fixtureModel("finishing");
    server = await startServer({
      env: {
        // The default fixture needs ~5 MiB, each of these ~102 MiB (node-llama-cpp's estimate): room for one, not two.
        MODEL_MEMORY_LIMIT: "160",
        MODEL_MIN_RESIDENCY: "0", // swap at once (on-demand-bounds.test.ts tests the residency)
        LALS_CONFIG: configFile([
          { id: "a", path: finishing, contextSize: 2048, parallel: 1 },
          { id: "b", path: finishing, contextSize: 2048, parallel: 1 },
        ]),
      },
    });
  });
  after(async () => {
    assert.equal(await server.stop(), 0);
  });

  test("asking for the other unloads the first, least recently used, and both still answer", async () => {
    assert.equal((await chat(server, "a")).body.choices?.[0]?.message.content, FINISHING_REPLY);
    assert.equal(logged(server, "model unloaded", "a"), 0);
    assert.equal((await chat(server, "b")).body.choices?.[0]?.message.content, FINISHING_REPLY);
    assert.equal(logged(server, "model unloaded", "a"), 1);
    assert.equal((await chat(server, "a")).body.choices?.[0]?.message.content, FINISHING_REPLY);
    assert.equal(logged(server, "model unloaded", "b"), 1);
    assert.equal((await chat(server, "qwen3-0.6b", 4)).status, 200, "the default model is never unloaded");
  });
});
