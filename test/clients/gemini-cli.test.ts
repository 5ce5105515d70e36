// The real Gemini CLI (`gemini -p`), with its default tools, against plain `lals serve`'s Gemini API on the finishing
// fixture, set up as a user points it at a Gemini-API server: GOOGLE_GEMINI_BASE_URL, GEMINI_API_KEY, and the API-key
// auth type in settings.json.
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

/** A throwaway HOME whose settings pick API-key auth (and keep the CLI from phoning home), and a project folder in it. */
function home(): { home: string; dir: string } {
  const root = mkdtempSync(join(tmpdir(), "lals-gemini-"));
  mkdirSync(join(root, ".gemini"));
  writeFileSync(join(root, ".gemini", "settings.json"), JSON.stringify({
    security: { auth: { selectedType: "gemini-api-key" } },
    general: { disableAutoUpdate: true, disableUpdateNag: true },
    privacy: { usageStatisticsEnabled: false },
    telemetry: { enabled: false },
  }));
  const dir = join(root, "project");
  mkdirSync(dir);
  return { home: root, dir };
}

function gemini(args: string[]): Promise<ClientRun> {
  const { home: root, dir } = home();
  const env = {
    PATH: process.env.PATH ?? "",
    HOME: root,
    GOOGLE_GEMINI_BASE_URL: server.baseUrl,
    GEMINI_API_KEY: "unused",
    GEMINI_CLI_TRUST_WORKSPACE: "true",
  };
  return runClient(clientBinary("gemini"), args, env, dir);
}

const geminiLogs = (method: string) => server.logs.filter((l) => l.msg === "request" && String(l.endpoint).includes(`:${method}`));

test("gemini -p with its default model: exit 0, the reply printed, its tools in the agent turn, the router call answered", async () => {
  const before = server.logs.length;
  const run = await gemini(["-p", "Say hello"]);
  assert.equal(run.code, 0, `${run.stdout.slice(-3000)}\n${run.stderr.slice(-3000)}`);
  assert.equal(run.stdout.trim(), FINISHING_REPLY);
  const turns = geminiLogs("streamGenerateContent").filter((l) => server.logs.indexOf(l) >= before);
  assert.ok(turns.length >= 1 && turns.every((l) => l.status === 200 && l.servedBy === "qwen3-0.6b"), JSON.stringify(turns));
  assert.ok(turns.some((l) => Number(l.inputTokens) > 3_000), "the agent turn carries the CLI's system prompt and tool declarations");
  const routed = geminiLogs("generateContent").filter((l) => server.logs.indexOf(l) >= before && !String(l.endpoint).includes("stream"));
  assert.ok(routed.every((l) => l.status === 200), JSON.stringify(routed));
});

test("gemini -p -m gemini-2.5-flash: exit 0 and the reply printed", async () => {
  const run = await gemini(["-p", "Say hello", "-m", "gemini-2.5-flash"]);
  assert.equal(run.code, 0, `${run.stdout.slice(-3000)}\n${run.stderr.slice(-3000)}`);
  assert.equal(run.stdout.trim(), FINISHING_REPLY);
});
