import assert from "node:assert/strict";
import { test } from "node:test";
import { newId } from "./ids.js";

test("ids carry the vendor's prefix and are random", () => {
  assert.match(newId.chatCompletion(), /^chatcmpl-[A-Za-z0-9]{29}$/);
  assert.match(newId.message(), /^msg_[A-Za-z0-9]{24}$/);
  assert.match(newId.legacyCompletion(), /^compl_[A-Za-z0-9]{24}$/);
  assert.match(newId.anthropicToolUse(), /^toolu_[A-Za-z0-9]{24}$/);
  assert.match(newId.openaiToolCall(), /^call_[A-Za-z0-9]{24}$/);
  assert.notEqual(newId.message(), newId.message());
});
