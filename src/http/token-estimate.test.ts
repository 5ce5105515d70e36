import assert from "node:assert/strict";
import { test } from "node:test";
import { emptyChatRequest } from "../core/chat-request.js";
import { estimateTokens } from "./token-estimate.js";

test("a request's estimate: its text at four characters a token, the format's markup, and what it may generate", () => {
  const request = emptyChatRequest("m");
  request.system.push({ type: "text", text: "x".repeat(400) });
  request.messages.push({ role: "user", content: [{ type: "text", text: "y".repeat(40) }] });
  request.sampling.maxTokens = 100;
  assert.equal(estimateTokens(request, 5000), 100 + 10 + 2 * 4 + 100);
  delete request.sampling.maxTokens;
  assert.equal(estimateTokens(request, 5000), 100 + 10 + 8 + 5000, "max_tokens unsaid: the server's limit");
});
