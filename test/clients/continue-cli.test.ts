// The real Continue CLI (`cn -p`), headless with its default tools, against plain `lals serve` through Continue's own
// Ollama provider (`provider: ollama`, `apiBase`), on the finishing fixture. cn's Ollama provider speaks Ollama's
// OpenAI-compatible dialect (`apiBase` + /v1/chat/completions), not /api/chat: the test checks what it really sends.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { FINISHING_REPLY } from "../../src/fixture/finishing-reply.js";
import { startServer, type RunningServer } from "../e2e/harness.js";
import { clientBinary, installClients } from "./install.js";
import { runClient } from "./run-client.js";

let server: RunningServer;

before(async () => {
  installClients();
  server = await startServer({ fixture: "finishing", env: { MODEL_N_CTX: "32768", MODEL_PARALLEL: "2" } });
});
after(async () => {
  assert.equal(await server.stop(), 0);
});

test("cn -p with provider ollama: exit 0 and the model's reply printed, every call it made answered", async () => {
  const home = mkdtempSync(join(tmpdir(), "lals-continue-"));
  const dir = join(home, "project");
  mkdirSync(dir);
  const config = join(home, "config.yaml");
  writeFileSync(config, [
    "name: LALS",
    "version: 0.0.1",
    "schema: v1",
    "models:",
    "  - name: Qwen3 (LALS)",
    "    provider: ollama",
    "    model: qwen3-0.6b",
    `    apiBase: ${server.baseUrl}`,
    "    roles: [chat, edit, apply]",
    "",
  ].join("\n"));
  const env = { PATH: process.env.PATH ?? "", HOME: home, CONTINUE_GLOBAL_DIR: join(home, ".continue"), CONTINUE_CLI_DISABLE_TELEMETRY: "1" };
  const run = await runClient(clientBinary("cn"), ["-p", "Say hello", "--config", config], env, dir);
  assert.equal(run.code, 0, `${run.stdout.slice(-3000)}\n${run.stderr.slice(-3000)}`);
  assert.equal(run.stdout.trim(), FINISHING_REPLY);
  const asked = server.logs.filter((l) => l.msg === "request");
  const turn = asked.find((l) => l.endpoint === "POST /v1/chat/completions");
  assert.ok(turn !== undefined, JSON.stringify(asked));
  // Its agent prompt (tools and instructions) was read whole.
  assert.ok(Number(turn.inputTokens) > 1000, JSON.stringify(turn));
  assert.ok(asked.every((l) => l.status === 200), JSON.stringify(asked));
});
