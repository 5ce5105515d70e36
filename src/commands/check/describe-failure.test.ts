import assert from "node:assert/strict";
import { test } from "node:test";
import Anthropic from "@anthropic-ai/sdk";
import { ApiError } from "@google/genai";
import OpenAI from "openai";
import { CheckFailure, HttpError } from "./check-failure.js";
import { describeFailure, errorLabel } from "./describe-failure.js";

test("the label is the code, type or status of the error in each vendor's body shape", () => {
  assert.equal(errorLabel({ message: "Invalid API key.", type: "invalid_request_error", code: "invalid_api_key" }), "invalid_api_key");
  assert.equal(errorLabel({ type: "error", error: { type: "authentication_error", message: "invalid x-api-key" } }), "authentication_error");
  assert.equal(errorLabel({ error: { code: 401, message: "API key not valid.", status: "UNAUTHENTICATED" } }), "UNAUTHENTICATED");
  assert.equal(errorLabel({ error: "model 'x' not found" }), "model 'x' not found");
  assert.equal(errorLabel({ detail: "Not Found" }), "Not Found");
  assert.equal(errorLabel({}), undefined);
});

test("each SDK's own error reads as its status and label", () => {
  const openai = OpenAI.APIError.generate(401, { error: { message: "Invalid API key.", type: "invalid_request_error", code: "invalid_api_key" } }, undefined, new Headers());
  assert.deepEqual({ ...describeFailure(openai), body: "" }, { status: 401, reason: "401 invalid_api_key", body: "" });
  const anthropic = Anthropic.APIError.generate(401, { type: "error", error: { type: "authentication_error", message: "invalid x-api-key" } }, undefined, new Headers());
  assert.equal(describeFailure(anthropic).reason, "401 authentication_error");
  const google = new ApiError({ message: JSON.stringify({ error: { code: 401, message: "API key not valid.", status: "UNAUTHENTICATED" } }), status: 401 });
  assert.equal(describeFailure(google).reason, "401 UNAUTHENTICATED");
  const bare = OpenAI.APIError.generate(502, undefined, undefined, new Headers());
  assert.equal(describeFailure(bare).reason, "502 status code (no body)");
});

test("a plain fetch's HTTP error keeps its body, so a missing model (named there) is told from a missing route", () => {
  const failure = describeFailure(new HttpError(404, { error: "model 'qwen3' not found" }));
  assert.equal(failure.status, 404);
  assert.equal(failure.reason, "404 model 'qwen3' not found");
  assert.match(failure.body, /qwen3/);
});

test("a refused connection reads as the socket's code, found down the cause chain", () => {
  const socket = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" });
  const fetchError = new TypeError("fetch failed", { cause: socket });
  const sdkError = Object.assign(new Error("Connection error."), { cause: fetchError });
  assert.deepEqual(describeFailure(sdkError), { status: null, reason: "ECONNREFUSED", body: "" });
});

test("a shape failure reads as its reason, a passed deadline as the timeout whatever the error says", () => {
  assert.equal(describeFailure(new CheckFailure("no text in the reply")).reason, "no text in the reply");
  assert.deepEqual(describeFailure(new Error("Request was aborted."), 60_000), { status: null, reason: "timeout after 60 s", body: "" });
});

test("a long reason is cut to one short line", () => {
  const reason = describeFailure(new Error(`line one\n${"x".repeat(300)}`)).reason;
  assert.ok(reason.length <= 100 && !reason.includes("\n"), reason);
});

test("an error without a socket code reads as its innermost message", () => {
  const wrapped = new Error("Connection error.", { cause: new TypeError("fetch failed", { cause: new Error("bad port") }) });
  assert.equal(describeFailure(wrapped).reason, "bad port");
});
