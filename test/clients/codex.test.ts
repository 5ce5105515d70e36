// The real Codex CLI, with its default tools (hosted web search among them), against LALS's Responses API on the finishing fixture.
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { FINISHING_REPLY } from "../../scripts/fixture/finishing-reply.js";
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

/** A throwaway CODEX_HOME whose config.toml points Codex at this server, as README tells users to. */
function codexHome(): string {
  const home = mkdtempSync(join(tmpdir(), "lals-codex-"));
  writeFileSync(join(home, "config.toml"), [
    'model = "qwen3-0.6b"',
    'model_provider = "lals"',
    "[model_providers.lals]",
    'name = "LALS"',
    `base_url = "${server.baseUrl}/v1"`,
    'wire_api = "responses"',
    "",
  ].join("\n"));
  return home;
}

function codex(home: string, prompt: string): Promise<ClientRun> {
  const env = { PATH: process.env.PATH ?? "", HOME: home, CODEX_HOME: home };
  return runClient(clientBinary("codex"), ["exec", "--json", "--skip-git-repo-check", prompt], env, home);
}

/** The text of the last agent message Codex printed. */
function finalMessage(run: ClientRun): string | undefined {
  const messages = run.events
    .map((e) => e.item as { type?: string; text?: string } | undefined)
    .filter((item) => item?.type === "agent_message");
  return messages.at(-1)?.text;
}

const responsesLogs = () => server.logs.filter((l) => l.msg === "request" && l.endpoint === "POST /v1/responses");

test("codex exec: exit 0, and its final message is exactly the model's reply", async () => {
  const run = await codex(codexHome(), "Say hello");
  assert.equal(run.code, 0, `${run.stdout.slice(-3000)}\n${run.stderr.slice(-3000)}`);
  assert.equal(finalMessage(run), FINISHING_REPLY);
  assert.ok(responsesLogs().some((l) => l.status === 200));
  // Its default tools include the hosted web_search: accepted and left out of what the model sees, never a 400.
  const ignored = server.logs.filter((l) => l.msg === "parameters accepted but not applied").flatMap((l) => l.ignored as string[]);
  assert.ok(ignored.includes("tools[]"), JSON.stringify(ignored));
});
