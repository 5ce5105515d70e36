import assert from "node:assert/strict";
import { test } from "node:test";
import { GatewayError, type GatewayErrorKind } from "../../core/gateway-error.js";
import { openaiError } from "./errors.js";

test("maps every error kind to OpenAI's status and body", () => {
  const expected: Record<GatewayErrorKind, [number, string]> = {
    invalid_request: [400, "invalid_request_error"],
    authentication: [401, "invalid_request_error"],
    permission: [403, "permission_error"],
    not_found: [404, "invalid_request_error"],
    request_too_large: [413, "invalid_request_error"],
    rate_limit: [429, "requests"],
    overloaded: [429, "server_error"],
    upstream: [502, "server_error"],
    unavailable: [503, "server_error"],
    internal: [500, "server_error"],
  };
  for (const [kind, [status, type]] of Object.entries(expected)) {
    const rendered = openaiError(new GatewayError(kind as GatewayErrorKind, "m"));
    assert.equal(rendered.status, status, kind);
    assert.deepEqual(rendered.body, { error: { message: "m", type, param: null, code: rendered.body.error.code } });
  }
});

test("an unknown model carries code model_not_found and the param", () => {
  assert.deepEqual(openaiError(new GatewayError("not_found", "no", { param: "model" })).body.error, {
    message: "no", type: "invalid_request_error", param: "model", code: "model_not_found",
  });
});
