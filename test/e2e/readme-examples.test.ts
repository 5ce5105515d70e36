// Runs README's examples against a real server, so the docs cannot rot: every `sh` block's curl commands are replayed
// with fetch, every `ts` block is run as a script, with the README's address swapped for the test server's.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { fixtureModel, startServer, type RunningServer } from "./harness.js";

const ROOT = new URL("../../", import.meta.url).pathname;
const README_ADDRESS = "http://127.0.0.1:8000";
const readme = readFileSync(join(ROOT, "README.md"), "utf8");

let server: RunningServer;
let scratch: string;

before(async () => {
  scratch = mkdtempSync(join(ROOT, ".readme-examples-"));
  // The embedding and reranking examples' models, as README's Embeddings and Reranking sections configure them.
  const models = join(scratch, "models.json");
  writeFileSync(models, JSON.stringify({ models: [{ id: "qwen3-embedding", path: await fixtureModel("embedding"), contextSize: 512, matryoshka: true }, { id: "qwen3-reranker", path: await fixtureModel("reranker"), contextSize: 512 }] }));
  server = await startServer({ env: { MODEL_ALIASES: "claude-*=qwen3-0.6b,gpt-4o*=qwen3-0.6b", MAX_TOKENS_LIMIT: "512", LALS_CONFIG: models } });
});
after(async () => {
  rmSync(scratch, { recursive: true, force: true });
  assert.equal(await server.stop(), 0);
});

/** The fenced blocks of one language, in order. */
function blocks(language: string): string[] {
  return [...readme.matchAll(new RegExp("```" + language + "\\n([\\s\\S]*?)```", "g"))].map((m) => m[1]!);
}

/** Splits a shell command line into words the way sh would for what README uses: single and double quotes. */
function shellWords(line: string): string[] {
  const words: string[] = [];
  let current = "";
  let quote: "'" | '"' | undefined;
  let inWord = false;
  for (const char of line) {
    if (quote !== undefined) {
      if (char === quote) quote = undefined;
      else current += char;
    } else if (char === "'" || char === '"') {
      quote = char;
      inWord = true;
    } else if (/\s/.test(char)) {
      if (inWord) words.push(current);
      current = "";
      inWord = false;
    } else {
      current += char;
      inWord = true;
    }
  }
  if (inWord) words.push(current);
  return words;
}

interface Curl { url: string; headers: Record<string, string>; data?: string }

function parseCurl(words: string[]): Curl {
  const curl: Curl = { url: "", headers: {} };
  for (let i = 1; i < words.length; i++) {
    const word = words[i]!;
    if (word === "-H") {
      const [name, ...value] = words[++i]!.split(":");
      curl.headers[name!.trim().toLowerCase()] = value.join(":").trim();
    } else if (word === "-d") curl.data = words[++i];
    else if (word === "-N" || word === "-i") continue;
    else if (word.startsWith("http")) curl.url = word;
    else throw new Error(`README uses a curl option the example runner does not know: ${word}`);
  }
  return curl;
}

const curlCommands = blocks("sh")
  .flatMap((block) => block.replace(/\\\n/g, " ").split("\n"))
  .map((line) => line.trim())
  .filter((line) => line.startsWith("curl "));

describe("README curl examples", () => {
  test("there are examples for every endpoint", () => {
    const paths = new Set(curlCommands.map((c) => new URL(parseCurl(shellWords(c)).url).pathname));
    for (const path of ["/v1/chat/completions", "/v1/completions", "/v1/messages", "/v1/messages/count_tokens", "/v1/complete", "/v1/embeddings", "/v1/rerank", "/tokenize", "/detokenize", "/v1/inference", "/v1/models", "/", "/health",
      "/v1beta/models/qwen3-0.6b:generateContent", "/v1beta/models/qwen3-0.6b:countTokens", "/v1beta/models",
      "/api/chat", "/api/generate", "/api/embed", "/api/tags", "/api/show", "/api/ps", "/api/version"]) {
      assert.ok(paths.has(path), `README has a curl example for ${path}`);
    }
  });

  for (const command of curlCommands) {
    test(command.slice(0, 110), async () => {
      const curl = parseCurl(shellWords(command));
      const response = await fetch(curl.url.replace(README_ADDRESS, server.baseUrl), {
        method: curl.data === undefined ? "GET" : "POST",
        headers: curl.headers,
        ...(curl.data === undefined ? {} : { body: curl.data }),
      });
      const body = await response.text();
      assert.equal(response.status, 200, body);
      assert.ok(body.length > 0);
      if (curl.data?.includes('"stream":true')) assert.match(body, /^(data|event): /);
    });
  }
});

describe("README TypeScript examples", () => {
  blocks("ts").forEach((source, i) => {
    test(`example ${i + 1}: ${source.split("\n").find((l) => l.startsWith("import"))}`, async () => {
      const file = join(scratch, `example-${i + 1}.ts`);
      writeFileSync(file, source.replaceAll(README_ADDRESS, server.baseUrl).replace('from "lals"', `from ${JSON.stringify(join(ROOT, "src/client/index.ts"))}`));
      const child = spawn(process.execPath, ["--import", "tsx", file], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
      let stderr = "";
      child.stderr.on("data", (chunk: Buffer) => { stderr += chunk.toString(); });
      child.stdout.resume();
      const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
      assert.equal(code, 0, stderr);
    });
  });
});
