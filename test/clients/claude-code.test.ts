// The real Claude Code binary, with its default system prompt, tools and model, against plain `lals serve` on the
// finishing fixture: no alias, no model setting, as a new user would run it.
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { FINISHING_REPLY, FINISHING_THOUGHT } from "../../src/fixture/finishing-reply.js";
import { startServer, type RunningServer } from "../e2e/harness.js";
import { clientBinary, installClients } from "./install.js";
import { runClient, type ClientRun } from "./run-client.js";

// Claude Code's system prompt and tools are ~75 KB, about 19,000 tokens with the fixture's tokenizer.
const SERVER_ENV = { MODEL_N_CTX: "32768", MODEL_PARALLEL: "2" };
// A Sonnet 4.5 name: Claude Code asks it for extended thinking (`thinking: {type: "enabled", budget_tokens: 31999}`);
// its default model gets adaptive thinking, which leaves thinking to the model.
const THINKING_MODEL = "claude-sonnet-4-5";

function claude(server: RunningServer, home: string, args: string[], credentials: Record<string, string>, model?: string): Promise<ClientRun> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    HOME: home,
    ANTHROPIC_BASE_URL: server.baseUrl,
    ...(model === undefined ? {} : { ANTHROPIC_MODEL: model }),
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
    ...(process.getuid?.() === 0 ? { IS_SANDBOX: "1" } : {}),
    ...credentials,
  };
  return runClient(clientBinary("claude"), [...args, "--output-format", "stream-json", "--verbose", "--dangerously-skip-permissions"], env, home);
}

function resultOf(run: ClientRun): Record<string, unknown> {
  const result = run.events.find((e) => e.type === "result");
  assert.ok(result !== undefined, `no result event; exit ${run.code}\n${run.stdout.slice(-2000)}\n${run.stderr.slice(-2000)}`);
  return result;
}

/** The request log lines of POST /v1/messages, in order. */
const messageLogs = (server: RunningServer) => server.logs.filter((l) => l.msg === "request" && l.endpoint === "POST /v1/messages");

before(() => installClients());

for (const withKeys of [false, true]) {
  describe(withKeys ? "with API keys on" : "without API keys", () => {
    let server: RunningServer;
    const key = "sk-lals-claude-code-test";
    const credentials: Record<string, string> = withKeys ? { ANTHROPIC_API_KEY: key } : { ANTHROPIC_AUTH_TOKEN: "unused" };

    before(async () => {
      server = await startServer({ fixture: "finishing", env: { ...SERVER_ENV, ...(withKeys ? { API_KEYS: key } : {}) } });
    });
    after(async () => {
      assert.equal(await server.stop(), 0);
    });

    test("its own default model, with nothing but the base URL and a key: exactly the model's reply", async () => {
      const home = mkdtempSync(join(tmpdir(), "lals-claude-"));
      const before = messageLogs(server).length;
      const run = await claude(server, home, ["-p", "Say hello"], credentials);
      const result = resultOf(run);
      assert.equal(run.code, 0, run.stderr);
      assert.equal(result.is_error, false);
      assert.equal(result.result, FINISHING_REPLY);
      const asked = messageLogs(server).slice(before);
      assert.ok(asked.length > 0 && asked.every((l) => String(l.model).startsWith("claude-") && l.servedBy === "qwen3-0.6b" && l.status === 200), JSON.stringify(asked));
    });

    if (!withKeys) {
      test("a Sonnet-class name, thinking enabled: the thought arrives as thinking and the reply as the result", async () => {
        const home = mkdtempSync(join(tmpdir(), "lals-claude-"));
        const run = await claude(server, home, ["-p", "Say hello"], credentials, THINKING_MODEL);
        assert.equal(run.code, 0, run.stderr);
        const blocks = run.events
          .filter((e) => e.type === "assistant")
          .flatMap((e) => (e.message as { content: Array<{ type: string; text?: string; thinking?: string }> }).content)
          .map((b) => `${b.type}:${b.text ?? b.thinking ?? ""}`);
        assert.deepEqual(blocks, [`thinking:${FINISHING_THOUGHT}`, `text:${FINISHING_REPLY}`]);
        assert.equal(resultOf(run).result, FINISHING_REPLY);
      });

      test("a three-turn session: every turn succeeds, and turns 2 and 3 read most of their prompt from cache", async () => {
        const home = mkdtempSync(join(tmpdir(), "lals-claude-"));
        const before = messageLogs(server).length;
        for (const [turn, prompt] of ["Say hello", "Now say it again", "And once more"].entries()) {
          // A fixed name keeps Claude Code's system prompt the same from one run to the next (left to itself, its first
          // run names a 1M-context variant in the prompt and later runs do not, so turn 2 would share little).
          const run = await claude(server, home, ["-p", prompt, ...(turn === 0 ? [] : ["--continue"])], credentials, THINKING_MODEL);
          assert.equal(run.code, 0, run.stderr);
          assert.equal(resultOf(run).result, FINISHING_REPLY);
        }
        const turns = messageLogs(server).slice(before);
        assert.ok(turns.length >= 3, JSON.stringify(turns));
        for (const log of turns.slice(1)) {
          const input = Number(log.inputTokens);
          const cached = Number(log.cachedTokens);
          assert.ok(input > 10_000, `Claude Code's own prompt: ${input} tokens`);
          assert.ok(cached >= 0.9 * input, `turn read ${cached} of ${input} tokens from cache`);
        }
      });
    }
  });
}
