// Errors of the Responses endpoints: OpenAI's shape, with two differences Codex depends on. A full queue is a 503
// with retry-after (Codex retries 5xx but gives up on 429), and a failure after the stream began is a response.failed
// whose error.code says what happened.
import type { ResponseError } from "openai/resources/responses/responses";
import { GatewayError } from "../../../core/gateway-error.js";
import { RESPONSES_NAMES } from "../../wire-param.js";
import { openaiError, type OpenAIErrorBody } from "../errors.js";

/** A response that was not found, expired, not stored, or belongs to another key. */
export function responseNotFound(id: string, param = "previous_response_id"): GatewayError {
  return new GatewayError("not_found", `Response with id '${id}' not found.`, { param });
}

export function responsesError(error: GatewayError): { status: number; body: OpenAIErrorBody } {
  const { status, body } = openaiError(error, RESPONSES_NAMES);
  if (error.kind === "overloaded") return { status: 503, body: { error: { ...body.error, code: "server_is_overloaded" } } };
  if (error.kind === "not_found" && error.param !== "model") return { status, body: { error: { ...body.error, code: "previous_response_not_found" } } };
  return { status, body };
}

/** An overloaded error always carries a retry-after, so the 503 tells clients when to come back. */
export function withRetryAfter(error: unknown): unknown {
  if (!(error instanceof GatewayError) || error.kind !== "overloaded" || error.retryAfter !== undefined) return error;
  return new GatewayError("overloaded", error.message, { retryAfter: 1, cause: error });
}

const CONTEXT_EXCEEDED = /context|too long/i;

/**
 * The error of a response.failed. Codex acts on these codes (context_length_exceeded ends the turn and asks to compact,
 * server_is_overloaded retries); they are OpenAI's own, beyond the SDK's list.
 */
export function failureOf(error: GatewayError): ResponseError {
  const code = error.kind === "overloaded" || error.kind === "rate_limit" || error.kind === "unavailable" ? "server_is_overloaded"
    : error.kind === "invalid_request" && CONTEXT_EXCEEDED.test(error.message) ? "context_length_exceeded"
      : error.kind === "invalid_request" ? "invalid_prompt"
        : "server_error";
  return { code: code as ResponseError["code"], message: error.message };
}
