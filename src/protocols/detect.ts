// Which API a /v1/inference request speaks. Rules, applied in order (README lists them too):
//  0. `contents` without `messages`, `prompt` or `input` is Gemini's generateContent (its model named in the body);
//  1. an `x-lals-protocol: openai | anthropic` header;
//  2. an `anthropic-version` header → anthropic;
//  3. body fields only one API has (see the lists below); signals of both → refused, naming them;
//  4. a body that fits both (model, messages of plain strings, max_tokens) → the configured default.
// A body with `prompt` goes to that protocol's legacy completion endpoint; with neither `messages` nor `prompt` → refused.
// A body with `input` or `instructions` and neither `messages` nor `prompt` is OpenAI's Responses API, whatever else it holds.

import type { Protocol } from "./endpoint.js";

/** The generating endpoints a body can be detected for, by their records' names. */
export type DetectedEndpoint =
  | "openai-chat" | "openai-completions" | "openai-responses" | "anthropic-messages" | "anthropic-complete"
  | "gemini-generate-content" | "gemini-stream-generate-content";

export type Detection =
  /** `params`: what the endpoint's path would have held (Gemini's model), taken from the body. */
  | { ok: true; protocol: Protocol; endpoint: DetectedEndpoint; reason: string; params?: Record<string, string> }
  | { ok: false; protocol: Protocol; message: string };

type Body = Record<string, unknown>;
type Signal = (body: Body) => string | undefined;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const messages = (body: Body): Body[] => (Array.isArray(body.messages) ? body.messages.filter(isObject) : []);
const blocks = (body: Body): Body[] => messages(body).flatMap((m) => (Array.isArray(m.content) ? m.content.filter(isObject) : []));
const field = (name: string): Signal => (body) => (body[name] !== undefined ? name : undefined);
// Only string values can be a role or a block type; anything else (even an object whose toString is not a function) is no signal.
const text = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);
const named = (what: string, value: string | undefined): string | undefined => (value === undefined ? undefined : `${what} ${value}`);

const ANTHROPIC_BLOCKS = new Set(["tool_use", "tool_result", "thinking", "redacted_thinking"]);
const OPENAI_ROLES = new Set(["system", "developer", "tool"]);

const ANTHROPIC_SIGNALS: Signal[] = [
  field("system"),
  field("stop_sequences"),
  field("max_tokens_to_sample"),
  (body) => named("content block type", blocks(body).map((b) => text(b.type)).find((t) => t !== undefined && ANTHROPIC_BLOCKS.has(t))),
  (body) => (blocks(body).some((b) => b.type === "image" && b.source !== undefined) ? "image block with source" : undefined),
  (body) => (Array.isArray(body.tools) && body.tools.some((t) => isObject(t) && t.input_schema !== undefined) ? "tools[].input_schema" : undefined),
  (body) => (isObject(body.thinking) ? "thinking" : undefined),
];

const OPENAI_SIGNALS: Signal[] = [
  (body) => named("role", messages(body).map((m) => text(m.role)).find((r) => r !== undefined && OPENAI_ROLES.has(r))),
  (body) => (messages(body).some((m) => m.tool_calls !== undefined) ? "messages[].tool_calls" : undefined),
  (body) => (blocks(body).some((b) => b.type === "image_url") ? "content part type image_url" : undefined),
  (body) => (Array.isArray(body.tools) && body.tools.some((t) => isObject(t) && t.type === "function") ? 'tools[].type "function"' : undefined),
  field("n"),
  field("response_format"),
  field("max_completion_tokens"),
  field("stream_options"),
  field("logit_bias"),
  field("reasoning_effort"),
];

const isGemini = (body: unknown): body is Body =>
  isObject(body) && body.messages === undefined && body.prompt === undefined && body.input === undefined && body.contents !== undefined;

/** Gemini's generateContent, streamed when the body says `stream: true` (its own API streams by path, which this one has not). */
function detectGemini(body: Body, declared: string | undefined): Detection {
  if (declared !== undefined && declared !== "gemini") {
    return { ok: false, protocol: "gemini", message: `The request is a Gemini generateContent request (contents), which the ${declared} API does not have.` };
  }
  const model = typeof body.model === "string" ? body.model.replace(/^models\//, "") : "";
  if (model === "") return { ok: false, protocol: "gemini", message: "A Gemini request sent to /v1/inference names its model in the body: {model, contents}." };
  const endpoint = body.stream === true ? "gemini-stream-generate-content" : "gemini-generate-content";
  return { ok: true, protocol: "gemini", endpoint, reason: "contents without messages (Gemini generateContent)", params: { model } };
}

const isResponses = (body: unknown): body is Body =>
  isObject(body) && body.messages === undefined && body.prompt === undefined && (body.input !== undefined || body.instructions !== undefined);

const found = (signals: readonly Signal[], body: Body): string[] => signals.flatMap((signal) => signal(body) ?? []);

function endpointFor(protocol: Protocol, body: Body): DetectedEndpoint {
  if (body.prompt !== undefined && body.messages === undefined) return protocol === "openai" ? "openai-completions" : "anthropic-complete";
  return protocol === "openai" ? "openai-chat" : "anthropic-messages";
}

const SHAPES = "Send an OpenAI chat request ({model, messages:[{role, content}], max_tokens?}) or an Anthropic Messages request "
  + "({model, max_tokens, system?, messages:[{role: user|assistant, content}]}), an OpenAI Responses request ({model, input}), "
  + "a Gemini request ({model, contents:[{role, parts}]}), or a legacy {model, prompt}; "
  + "or say which with the x-lals-protocol header (openai, anthropic or gemini).";

const DECLARABLE = new Set(["openai", "anthropic", "gemini"]);

export function detectProtocol(headers: Record<string, string | string[] | undefined>, body: unknown, fallback: Protocol): Detection {
  const header = headers["x-lals-protocol"];
  if (header !== undefined && (typeof header !== "string" || !DECLARABLE.has(header))) {
    return { ok: false, protocol: fallback, message: `x-lals-protocol must be openai, anthropic or gemini, not ${JSON.stringify(header)}.` };
  }
  if (isGemini(body)) return detectGemini(body, header);
  if (header === "gemini") return { ok: false, protocol: "gemini", message: "A Gemini request has contents: {model, contents:[{role, parts}]}." };
  const declared = header as "openai" | "anthropic" | undefined;
  if (isResponses(body)) {
    if (declared === "anthropic") return { ok: false, protocol: declared, message: "The request is an OpenAI Responses request (input without messages), which the Anthropic API does not have." };
    return { ok: true, protocol: "openai", endpoint: "openai-responses", reason: "input or instructions without messages (Responses API)" };
  }
  if (!isObject(body) || (body.messages === undefined && body.prompt === undefined)) {
    return { ok: false, protocol: declared ?? fallback, message: `The request has neither messages nor prompt. ${SHAPES}` };
  }
  if (declared !== undefined) return { ok: true, protocol: declared, endpoint: endpointFor(declared, body), reason: "x-lals-protocol header" };
  if (headers["anthropic-version"] !== undefined) return { ok: true, protocol: "anthropic", endpoint: endpointFor("anthropic", body), reason: "anthropic-version header" };

  const anthropic = found(ANTHROPIC_SIGNALS, body);
  const openai = found(OPENAI_SIGNALS, body);
  if (anthropic.length > 0 && openai.length > 0) {
    return {
      ok: false,
      protocol: fallback,
      message: `The request mixes the two APIs: ${anthropic.join(", ")} (Anthropic) with ${openai.join(", ")} (OpenAI). Send one shape, or set x-lals-protocol.`,
    };
  }
  if (anthropic.length > 0) return { ok: true, protocol: "anthropic", endpoint: endpointFor("anthropic", body), reason: anthropic.join(", ") };
  if (openai.length > 0) return { ok: true, protocol: "openai", endpoint: endpointFor("openai", body), reason: openai.join(", ") };
  if (typeof body.prompt === "string" && body.prompt.includes("\n\nHuman:")) {
    return { ok: true, protocol: "anthropic", endpoint: "anthropic-complete", reason: "a \\n\\nHuman: prompt" };
  }
  return { ok: true, protocol: fallback, endpoint: endpointFor(fallback, body), reason: "fits both: the configured default" };
}
