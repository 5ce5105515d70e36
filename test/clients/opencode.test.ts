// The real opencode CLI (`opencode run`), with its default agent and tools, against LALS's Chat Completions API on the
// finishing fixture, through the OpenAI-compatible provider its docs tell users to configure.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { FINISHING_REPLY } from "../../src/fixture/finishing-reply.js";
import { startServer, type RunningServer } from "../e2e/harness.js";
import { clientBinary, installClients } from "./install.js";
import { runClient, type ClientRun } from "./run-client.js";

let server: RunningServer;

before(async () => {
  installClients();
  server = await startServer({ fixture: "finishing", env: { MODEL_N_CTX: "32768", MODEL_PARALLEL: "2" } });
});
after(async () => {
  assert.equal(await server.stop(), 0);
});

/** A throwaway HOME and a project whose opencode.json names LALS as an OpenAI-compatible provider. */
function project(): { home: string; dir: string } {
  const home = mkdtempSync(join(tmpdir(), "lals-opencode-"));
  const dir = join(home, "project");
  mkdirSync(dir);
  writeFileSync(join(dir, "opencode.json"), JSON.stringify({
    $schema: "https://opencode.ai/config.json",
    provider: {
      lals: {
        npm: "@ai-sdk/openai-compatible",
        name: "LALS",
        options: { baseURL: `${server.baseUrl}/v1` },
        models: { "qwen3-0.6b": { name: "Qwen3 0.6B (LALS)" } },
      },
    },
    model: "lals/qwen3-0.6b",
  }));
  return { home, dir };
}

function opencode(home: string, dir: string, prompt: string): Promise<ClientRun> {
  const env = {
    PATH: process.env.PATH ?? "",
    HOME: home,
    OPENCODE_DISABLE_AUTOUPDATE: "1",
    // It installs its plugin package in the background; offline, as here, that fails quietly: keep it on loopback.
    npm_config_registry: "http://127.0.0.1:9/",
    npm_config_offline: "true",
  };
  return runClient(clientBinary("opencode"), ["run", prompt], env, dir);
}

const chatLogs = () => server.logs.filter((l) => l.msg === "request" && l.endpoint === "POST /v1/chat/completions");

test("opencode run: exit 0, and it prints exactly the model's reply", async () => {
  const { home, dir } = project();
  const run = await opencode(home, dir, "Say hello");
  assert.equal(run.code, 0, `${run.stdout.slice(-3000)}\n${run.stderr.slice(-3000)}`);
  assert.equal(run.stdout.trim(), FINISHING_REPLY);
  const asked = chatLogs();
  // Its agent turn (with its tools) and its title request, both answered.
  assert.ok(asked.length >= 1 && asked.every((l) => l.status === 200), JSON.stringify(asked));
  assert.ok(asked.some((l) => Number(l.inputTokens) > 5_000), "the agent turn carries opencode's own system prompt and tools");
});
