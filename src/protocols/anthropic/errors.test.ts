import assert from "node:assert/strict";
import { test } from "node:test";
import { GatewayError, type GatewayErrorKind } from "../../core/gateway-error.js";
import { anthropicError } from "./errors.js";

test("maps every error kind to Anthropic's status and error type", () => {
  const expected: Record<GatewayErrorKind, [number, string]> = {
    invalid_request: [400, "invalid_request_error"],
    authentication: [401, "authentication_error"],
    permission: [403, "permission_error"],
    not_found: [404, "not_found_error"],
    request_too_large: [413, "request_too_large"],
    rate_limit: [429, "rate_limit_error"],
    overloaded: [529, "overloaded_error"],
    upstream: [502, "api_error"],
    unavailable: [503, "api_error"],
    internal: [500, "api_error"],
  };
  for (const [kind, [status, type]] of Object.entries(expected)) {
    const rendered = anthropicError(new GatewayError(kind as GatewayErrorKind, "m"), "req_1");
    assert.equal(rendered.status, status, kind);
    assert.deepEqual(rendered.body, { type: "error", error: { type, message: "m" }, request_id: "req_1" });
  }
});
