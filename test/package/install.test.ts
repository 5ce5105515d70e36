// The package as a user gets it: `npm pack`, then `npm install -g` of the tarball into a fresh prefix (dependencies
// from the registry, no source), then the installed `lals` writes the fixture, serves it from another folder, and
// answers one request in each protocol. npm 11 runs no install scripts of the tarball: the installed lals applies
// its node-llama-cpp patch itself on first start.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { startServer, type RunningServer } from "../e2e/harness.js";

const ROOT = new URL("../../", import.meta.url).pathname;
const MODEL = "qwen3-0.6b";
const scratch = mkdtempSync(join(tmpdir(), "lals-package-"));
const prefix = join(scratch, "prefix");
const lals = join(prefix, "bin", "lals");
let server: RunningServer;

before(() => {
  execFileSync("npm", ["pack", "--pack-destination", scratch], { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] });
  const tarball = readdirSync(scratch).find((name) => name.endsWith(".tgz"));
  assert.ok(tarball !== undefined, "npm pack made a tarball");
  execFileSync("npm", ["install", "-g", "--prefix", prefix, "--no-audit", "--no-fund", join(scratch, tarball)], { cwd: scratch, stdio: ["ignore", "ignore", "inherit"] });
});
after(async () => {
  if (server !== undefined) assert.equal(await server.stop(), 0);
});

test("the installed lals has its commands, from any folder", () => {
  const help = spawnSync(lals, ["--help"], { cwd: scratch, encoding: "utf8" });
  assert.equal(help.status, 0, help.stderr);
  for (const command of ["lals serve", "lals models", "lals pull", "lals fixture"]) assert.ok(help.stdout.includes(command), command);
  const written = spawnSync(lals, ["fixture", "--finishing", join(scratch, "tiny.gguf")], { cwd: scratch, encoding: "utf8" });
  assert.equal(written.status, 0, written.stderr);
  assert.match(written.stdout, /^wrote .*tiny\.gguf \(tiny, finishing\)/);
});

test("it serves the fixture, patched on first start, and answers in each protocol", async () => {
  // Unpatched, serving would refuse to start (node-llama-cpp-patch.ts): ready means patched.
  server = await startServer({ program: { path: lals, cwd: scratch }, env: { MODEL_PATH: join(scratch, "tiny.gguf"), MODEL_ALIAS: MODEL } });
  assert.ok(server.logs.some((l) => l.msg === "model loaded"));
  const post = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${server.baseUrl}${path}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
    return { status: response.status, json: await response.json() as Record<string, any> };
  };
  const say = [{ role: "user", content: "Hello" }];
  const openai = await post("/v1/chat/completions", { model: MODEL, messages: say, max_tokens: 64 });
  assert.equal(openai.status, 200, JSON.stringify(openai.json));
  const reply = openai.json.choices[0].message.content as string;
  assert.ok(reply.length > 0);
  const anthropic = await post("/v1/messages", { model: MODEL, max_tokens: 64, messages: say }, { "anthropic-version": "2023-06-01" });
  assert.equal(anthropic.status, 200, JSON.stringify(anthropic.json));
  assert.equal(anthropic.json.content.find((b: { type: string }) => b.type === "text").text, reply);
  const responses = await post("/v1/responses", { model: MODEL, input: "Hello", max_output_tokens: 64 });
  assert.equal(responses.status, 200, JSON.stringify(responses.json));
  assert.equal(responses.json.status, "completed");
  const gemini = await post(`/v1beta/models/${MODEL}:generateContent`, { contents: [{ role: "user", parts: [{ text: "Hello" }] }], generationConfig: { maxOutputTokens: 64 } });
  assert.equal(gemini.status, 200, JSON.stringify(gemini.json));
  assert.equal(gemini.json.candidates[0].content.parts[0].text, reply);
  const ollama = await post("/api/chat", { model: MODEL, messages: say, stream: false, options: { num_predict: 64 } });
  assert.equal(ollama.status, 200, JSON.stringify(ollama.json));
  assert.equal(ollama.json.message.content, reply);
});

test("the installed lals check verifies the installed server in every protocol", () => {
  const checked = spawnSync(lals, ["check", server.baseUrl, "--model", MODEL, "--max-tokens", "64"], { cwd: scratch, encoding: "utf8" });
  assert.equal(checked.status, 0, `${checked.stdout}\n${checked.stderr}`);
  assert.match(checked.stdout, /openai 5\/5 · anthropic 3\/3 · gemini 3\/3 · ollama 3\/3/);
});

test("a second start finds the patch in place", () => {
  const models = spawnSync(lals, ["models"], { cwd: scratch, encoding: "utf8", env: { ...process.env, MODEL_PATH: join(scratch, "tiny.gguf") } });
  assert.equal(models.status, 0, models.stderr);
  assert.doesNotMatch(models.stderr, /applying LALS's patch/);
});
