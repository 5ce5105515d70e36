// The container image, built here and run: deploy/build-image.sh makes the Debian base with debootstrap and the image
// with podman, then the image serves the fixture from a models volume, as a non-root user, configured only by
// environment variables (here with an API key), healthy by its own health check, answering every protocol through the
// published port (`lals check`), keeping its prompt cache on the cache volume, stopping cleanly on SIGTERM, and starting
// again warm from what it saved.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, chownSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { eventually, fixtureModel } from "../e2e/harness.js";
import { freePort } from "../free-port.js";
import { podmanHostFlags } from "./podman-host.js";

const ROOT = new URL("../../", import.meta.url).pathname;
const IMAGE = "localhost/lals-test:latest";
const NAME = `lals-test-${process.pid}`;
const KEY = "container-secret";
const UID = 10001; // the image's lals user
const flags = podmanHostFlags();
const scratch = mkdtempSync(join(tmpdir(), "lals-container-"));
const models = join(scratch, "models");
const cache = join(scratch, "cache");
let baseUrl = "";

function podman(args: readonly string[]): string {
  return execFileSync("podman", args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
}

before(async () => {
  const built = spawnSync("bash", [join(ROOT, "deploy/build-image.sh"), IMAGE], {
    env: { ...process.env, PODMAN_BUILD_FLAGS: flags.join(" ") }, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"],
  });
  assert.equal(built.status, 0, `${built.stdout}\n${built.stderr}`);
  mkdirSync(models);
  mkdirSync(cache);
  copyFileSync(await fixtureModel("finishing"), join(models, "tiny.gguf"));
  chmodSync(join(models, "tiny.gguf"), 0o644);
  chownSync(cache, UID, UID); // a volume the image's user may write, as its README says to make it
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  podman(["run", ...flags, "-d", "--name", NAME, "-p", `127.0.0.1:${port}:8000`,
    "-v", `${models}:/models:ro`, "-v", `${cache}:/cache`,
    "-e", "MODEL_PATH=/models/tiny.gguf", "-e", "MODEL_ALIAS=qwen3-0.6b", "-e", `API_KEYS=${KEY}`,
    "-e", "MODEL_N_CTX=2048", "-e", "MODEL_PARALLEL=1", "-e", "MODEL_N_THREADS=1", IMAGE]);
  const healthy = async () => (await fetch(`${baseUrl}/health`).then((r) => r.status, () => 0)) === 200;
  await eventually("the container is healthy", healthy, 120_000).catch((error: Error) => {
    throw new Error(`${error.message}:\n${spawnSync("podman", ["logs", NAME], { encoding: "utf8" }).stdout}`);
  });
});

after(() => {
  spawnSync("podman", ["rm", "-f", NAME], { stdio: "ignore" });
  spawnSync("podman", ["rmi", "-f", IMAGE], { stdio: "ignore" });
});

test("it runs as the image's own user, not root, and its health check passes", () => {
  assert.equal(podman(["exec", NAME, "id", "-u"]), String(UID));
  assert.equal(podman(["inspect", NAME, "--format", "{{.Config.User}}"]), "lals");
  assert.equal(spawnSync("podman", ["healthcheck", "run", NAME]).status, 0);
});

test("its settings come from the environment: the API key is required", async () => {
  const refused = await fetch(`${baseUrl}/v1/models`);
  assert.equal(refused.status, 401);
  const allowed = await fetch(`${baseUrl}/v1/models`, { headers: { authorization: `Bearer ${KEY}` } });
  assert.equal(allowed.status, 200);
  assert.deepEqual(((await allowed.json()) as { data: Array<{ id: string }> }).data.map((m) => m.id).filter((id) => id === "qwen3-0.6b"), ["qwen3-0.6b"]);
});

test("lals check passes every protocol through the published port", () => {
  const checked = spawnSync(process.execPath, ["--import", "tsx", join(ROOT, "src/main.ts"), "check", baseUrl, "--api-key", KEY, "--max-tokens", "64"], { cwd: ROOT, encoding: "utf8" });
  assert.equal(checked.status, 0, `${checked.stdout}\n${checked.stderr}`);
  assert.match(checked.stdout, /health 1\/1 · openai 5\/5 · anthropic 3\/3 · gemini 3\/3 · ollama 3\/3/);
});

/** The rivers prompt: cached tokens as the server reports them. */
async function askRivers(): Promise<number> {
  const answered = await fetch(`${baseUrl}/v1/chat/completions`, {
    method: "POST", headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json" },
    body: JSON.stringify({ model: "qwen3-0.6b", max_tokens: 8, messages: [{ role: "user", content: "rivers ".repeat(400) }] }),
  });
  assert.equal(answered.status, 200);
  return ((await answered.json()) as { usage: { prompt_tokens_details?: { cached_tokens?: number } } }).usage.prompt_tokens_details?.cached_tokens ?? 0;
}

test("the prompt cache lives on its volume, SIGTERM stops it cleanly, and the container starts again warm", async () => {
  // One slot: a long prompt, then another, and the slot's first prompt is saved to the cache before it is lost. The
  // slot holds what lals check asked: the chat template's first tokens are all the rivers prompt shares with it.
  assert.ok(await askRivers() < 100);
  const answered = await fetch(`${baseUrl}/v1/chat/completions`, {
    method: "POST", headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json" },
    body: JSON.stringify({ model: "qwen3-0.6b", max_tokens: 8, messages: [{ role: "user", content: "mountains ".repeat(400) }] }),
  });
  assert.equal(answered.status, 200, await answered.text());
  const saved = readdirSync(cache);
  assert.equal(saved.length, 1, `the cache volume holds this model's directory: ${saved.join(", ")}`);
  assert.equal(statSync(join(cache, saved[0]!)).uid, UID);
  assert.equal(statSync(join(cache, saved[0]!)).mode & 0o777, 0o700);
  podman(["stop", "--time", "20", NAME]);
  assert.equal(podman(["inspect", NAME, "--format", "{{.State.ExitCode}}"]), "0");
  assert.match(podman(["logs", NAME]), /"msg":"shutting down"/);
  const kept = readdirSync(join(cache, saved[0]!));
  assert.equal(kept.filter((f) => f.endsWith(".state")).length, 2, `both prompts are kept: ${kept.join(", ")}`);
  assert.ok(!kept.includes("owner"), "the lock is given up at exit");

  podman(["start", NAME]);
  await eventually("the container is healthy again", async () => (await fetch(`${baseUrl}/health`).then((r) => r.status, () => 0)) === 200, 120_000);
  assert.ok(await askRivers() > 300, "after the restart the prompt comes from the saved state");
});
