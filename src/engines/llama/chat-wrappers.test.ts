import assert from "node:assert/strict";
import { mkdtempSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { QwenChatWrapper, type LlamaModel } from "node-llama-cpp";
import { ChatWrapperCache, type ResolveChatWrapper } from "./chat-wrappers.js";

/** A resolver that counts its calls and answers as node-llama-cpp does for a Qwen3 template. */
function countingResolver(): { resolve: ResolveChatWrapper; calls: () => number } {
  let calls = 0;
  const resolve: ResolveChatWrapper = (_model, options) => {
    calls++;
    return new QwenChatWrapper(options.customWrapperSettings?.qwen);
  };
  return { resolve, calls: () => calls };
}

const model = {} as LlamaModel; // the resolver above never looks at it
const gguf = (): string => {
  const path = join(mkdtempSync(join(tmpdir(), "lals-chat-wrappers-")), "model.gguf");
  writeFileSync(path, "GGUF one");
  return path;
};

test("the same GGUF loaded again reuses its wrappers: the resolver runs only for the first load", () => {
  const { resolve, calls } = countingResolver();
  const cache = new ChatWrapperCache(resolve);
  const path = gguf();
  const first = cache.for(model, path, "auto");
  assert.equal(calls(), 2, "auto and thinking-off are resolved once each");
  const again = cache.for(model, path, "auto");
  assert.equal(calls(), 2, "a reload resolves nothing");
  for (const thinking of ["auto", "on", "off"] as const) {
    for (const forced of [false, true]) assert.equal(again.pick(thinking, forced), first.pick(thinking, forced), `${thinking}, forced ${forced}`);
  }
  assert.equal((first.pick("off", false) as QwenChatWrapper).thoughts, "discourage");
});

test("another file, another chat template or a changed file is resolved anew", () => {
  const { resolve, calls } = countingResolver();
  const cache = new ChatWrapperCache(resolve);
  const path = gguf();
  cache.for(model, path, "auto");
  cache.for(model, gguf(), "auto");
  assert.equal(calls(), 4);
  cache.for(model, path, "qwen");
  assert.equal(calls(), 6);
  writeFileSync(path, "GGUF two, longer");
  utimesSync(path, new Date(), new Date(Date.now() + 5000));
  cache.for(model, path, "auto");
  assert.equal(calls(), 8);
  cache.for(model, path, "auto");
  assert.equal(calls(), 8);
});
