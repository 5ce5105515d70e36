// The real Codex CLI, with its default model, reasoning effort and tools (hosted web search among them), against
// plain `lals serve`'s Responses API on the finishing fixture.
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { FINISHING_REPLY, FinishingReply } from "../../src/fixture/finishing-reply.js";
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

/** A throwaway CODEX_HOME whose config.toml points Codex at this server, as README tells users to: no model setting. */
function codexHome(): string {
  const home = mkdtempSync(join(tmpdir(), "lals-codex-"));
  writeFileSync(join(home, "config.toml"), [
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

test("codex exec with its default model and reasoning: exit 0, the thought as reasoning, the reply as its final message", async () => {
  const run = await codex(codexHome(), "Say hello");
  assert.equal(run.code, 0, `${run.stdout.slice(-3000)}\n${run.stderr.slice(-3000)}`);
  assert.equal(finalMessage(run), FINISHING_REPLY);
  const usage = run.events.find((e) => e.type === "turn.completed")?.usage as { reasoning_output_tokens?: number } | undefined;
  assert.equal(usage?.reasoning_output_tokens, FinishingReply.thoughtPieces.length, JSON.stringify(usage));
  const asked = responsesLogs();
  assert.ok(asked.length > 0 && asked.every((l) => String(l.model).startsWith("gpt-") && l.servedBy === "qwen3-0.6b" && l.status === 200), JSON.stringify(asked));
  // Its tools come in an `additional_tools` input item: offered to the model, not left out as an unknown item.
  const warnings = server.logs.filter((l) => l.msg === "parameters accepted but not applied").flatMap((l) => l.warnings as string[]);
  assert.ok(!warnings.some((w) => w.includes("additional_tools")), JSON.stringify(warnings));
  assert.ok(asked.every((l) => Number(l.inputTokens) > 10_000), "Codex's instructions and tools are in the prompt");
});
