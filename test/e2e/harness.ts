// Starts the real `lals serve` process on the generated fixture model and stops it after the tests.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { setTimeout as sleep } from "node:timers/promises";
import { writeQwen3Fixture } from "../../src/fixture/qwen3-fixture.js";

const ROOT = new URL("../../", import.meta.url).pathname;
const fixturePaths = new Map<FixtureVariant, Promise<string>>();

/** `default` never ends a reply (for length, stop and seed tests); `finishing` replies FINISHING_REPLY and ends its turn; `embedding` is an embedding model; `reranker` a reranker. */
export type FixtureVariant = "default" | "finishing" | "embedding" | "reranker";

/** The tiny fixture model, generated once per test process. */
export function fixtureModel(variant: FixtureVariant = "default"): Promise<string> {
  let path = fixturePaths.get(variant);
  if (path === undefined) {
    path = (async () => {
      const file = join(mkdtempSync(join(tmpdir(), "lals-fixture-")), `qwen3-tiny-${variant}.gguf`);
      await writeQwen3Fixture(file, { finishing: variant === "finishing", embedding: variant === "embedding", reranker: variant === "reranker" });
      return file;
    })();
    fixturePaths.set(variant, path);
  }
  return path;
}

export interface RunningServer {
  baseUrl: string;
  process: ChildProcess;
  /** Every log line the server printed, parsed. */
  logs: Array<Record<string, unknown>>;
  stop(): Promise<number | null>;
}

export interface StartOptions {
  env?: Record<string, string>;
  fixture?: FixtureVariant;
  /** Resolve once the server listens rather than once the model is loaded. */
  waitFor?: "listening" | "ready";
  /** The `lals` program to run (an installed one), and the folder to run it in; by default the TypeScript source, here. */
  program?: { path: string; cwd: string };
}

const SOURCE = { path: join(ROOT, "src/main.ts"), cwd: ROOT };

/** `lals serve` from the TypeScript source (or `program`), on port 0, logging JSON lines. */
function spawnLals(env: Record<string, string>, args: readonly string[] = ["serve"], program = SOURCE): ChildProcess {
  const command = program === SOURCE ? [process.execPath, "--import", "tsx", program.path] : [program.path];
  return spawn(command[0]!, [...command.slice(1), ...args], {
    cwd: program.cwd,
    env: { ...process.env, PORT: "0", LOG_FORMAT: "json", LOG_LEVEL: "info", MODEL_N_CTX: "2048", SHUTDOWN_TIMEOUT: "2", MODEL_N_THREADS: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/** Starts `lals serve` on the fixture model and resolves once it is ready. */
export async function startServer(options: StartOptions = {}): Promise<RunningServer> {
  // Saved prompts outlive a server: each one not told where to keep them gets a directory of its own, so no test
  // starts warm from another's (or from a developer's ~/.cache).
  const ownCache = options.env?.MODEL_PROMPT_CACHE_DIR === undefined ? mkdtempSync(join(tmpdir(), "lals-test-prompts-")) : undefined;
  const child = spawnLals({
    MODEL_PATH: options.env?.MODEL_PATH ?? await fixtureModel(options.fixture),
    ...(ownCache === undefined ? {} : { MODEL_PROMPT_CACHE_DIR: ownCache }),
    ...options.env,
  }, ["serve"], options.program);
  const logs: Array<Record<string, unknown>> = [];
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => { stderr += chunk.toString(); });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));

  const baseUrl = await new Promise<string>((resolve, reject) => {
    let address: string | undefined;
    const lines = createInterface({ input: child.stdout! });
    lines.on("line", (line) => {
      let entry: Record<string, unknown>;
      try { entry = JSON.parse(line) as Record<string, unknown>; } catch { return; }
      logs.push(entry);
      const msg = String(entry.msg ?? "");
      const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(msg);
      if (match?.[1] !== undefined) address = match[1];
      if (address !== undefined && (options.waitFor === "listening" || msg === "model loaded")) resolve(address);
    });
    void exited.then((code) => reject(new Error(`server exited with ${code} before it was ready:\n${stderr}\n${JSON.stringify(logs)}`)));
  });

  return {
    baseUrl,
    process: child,
    logs,
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      const code = await exited;
      if (ownCache !== undefined) rmSync(ownCache, { recursive: true, force: true });
      // Node's warning that listeners pile up on one emitter: a leak, or a bound that no longer fits.
      const leak = /.*MaxListenersExceededWarning.*/.exec(stderr);
      if (leak !== null) throw new Error(`the server warned: ${leak[0]}`);
      return code;
    },
  };
}

/** Runs `lals serve` (or another command) until it exits by itself, returning its exit code and output. */
export async function runUntilExit(env: Record<string, string>, args: readonly string[] = ["serve"]): Promise<{ code: number | null; output: string }> {
  const child = spawnLals(env, args);
  let output = "";
  child.stdout?.on("data", (c: Buffer) => { output += c.toString(); });
  child.stderr?.on("data", (c: Buffer) => { output += c.toString(); });
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  return { code, output };
}

/** Polls until `check` holds, failing with `what` after a few seconds: a server's log line reaches the test through a pipe, after the reply it logs. */
export async function eventually(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(50);
  }
}
