import assert from "node:assert/strict";
import { test } from "node:test";
import { ConfigError, defaultThreads, flagName, loadConfig } from "./config.js";

test("defaults apply when nothing is set", () => {
  const config = loadConfig([], {});
  assert.equal(config.PORT, 8000);
  assert.equal(config.MODEL_ALIAS, "qwen3-0.6b");
  assert.equal(config.ENABLE_ANTHROPIC_API, true);
  assert.equal(config.MODEL_PATH, "hf:Qwen/Qwen3-0.6B-GGUF:Q4_K_M");
});

test("reads the environment, and a flag wins over it", () => {
  const config = loadConfig(["--port", "9000", "--model-n-ctx=4096"], { PORT: "1234", ENABLE_STREAMING: "false", MODEL_TEMP: "0.2" });
  assert.equal(config.PORT, 9000);
  assert.equal(config.MODEL_N_CTX, 4096);
  assert.equal(config.ENABLE_STREAMING, false);
  assert.equal(config.MODEL_TEMP, 0.2);
});

test("a bad value fails with one line naming the setting and what it accepts", () => {
  assert.throws(() => loadConfig([], { PORT: "eighty" }), new ConfigError('PORT="eighty": accepts a whole number'));
  assert.throws(() => loadConfig([], { LOG_FORMAT: "xml" }), /^Error: LOG_FORMAT="xml": accepts text or json$/);
  assert.throws(() => loadConfig(["--enable-openai-api", "maybe"], {}), /--enable-openai-api="maybe": accepts true or false/);
  assert.throws(() => loadConfig(["--bogus", "1"], {}), /unknown option --bogus/);
});

test("MODEL_N_THREADS=0 uses both cores of a two-core machine and leaves a core free on larger ones", () => {
  assert.equal(defaultThreads(1), 1);
  assert.equal(defaultThreads(2), 2);
  assert.equal(defaultThreads(8), 7);
  assert.equal(loadConfig([], { MODEL_N_THREADS: "3" }).threads, 3);
});

test("flags mirror the variables", () => {
  assert.equal(flagName("MODEL_N_CTX"), "--model-n-ctx");
});
