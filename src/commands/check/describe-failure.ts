// Any error a probe ends with → the HTTP status (if an answer came) and a short reason: "401 authentication_error",
// "ECONNREFUSED", "timeout after 60 s", "no text in the reply". SDK errors carry `.status`; OpenAI's and Anthropic's
// carry the parsed body in `.error`, Google's put the body's JSON in the message; fetch puts the socket error's code
// somewhere down its `cause` chain.
import { CheckFailure, HttpError } from "./check-failure.js";
import { parseJson } from "./fetch-ok.js";

export interface Failure {
  status: number | null;
  reason: string;
  /** The error body as text, to tell a route that is missing from a model that is (both are 404s). */
  body: string;
}

const MAX_REASON = 100;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null;

const oneLine = (text: string): string => {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > MAX_REASON ? `${flat.slice(0, MAX_REASON - 1)}…` : flat;
};

/** The most telling word of an error body in any vendor's shape: its code, type or status, else its message. */
export function errorLabel(body: unknown): string | undefined {
  if (typeof body === "string") return body.trim() === "" ? undefined : body;
  if (!isRecord(body)) return undefined;
  if (body.error !== undefined && body.error !== null) {
    const inner = errorLabel(body.error);
    if (inner !== undefined) return inner;
  }
  for (const key of ["code", "type", "status"]) {
    const value = body[key];
    // Anthropic wraps its error as {type: "error", error: {type: …}}: the outer type says nothing.
    if (typeof value === "string" && value !== "" && value !== "error") return value;
  }
  for (const key of ["message", "detail"]) {
    const value = body[key];
    if (typeof value === "string" && value !== "") return value;
  }
  return undefined;
}

/** The body of an HTTP error: ours, the SDK's parsed one, or the JSON Google's SDK puts in its message. */
function bodyOf(error: Record<string, unknown>, message: string): unknown {
  if (error instanceof HttpError) return error.body;
  if (error.error !== undefined && error.error !== null) return error.error;
  return parseJson(message) ?? message.replace(/^\d{3}\s*/, "");
}

/** The first string `code` down the cause chain that names a socket error (ECONNREFUSED, ENOTFOUND, UND_ERR_…). */
function socketCode(error: unknown): string | undefined {
  for (let at = error, depth = 0; isRecord(at) && depth < 8; at = at.cause, depth++) {
    if (typeof at.code === "string" && /^[A-Z][A-Z0-9_]+$/.test(at.code)) return at.code;
  }
  return undefined;
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** The innermost message down the cause chain: "bad port" says more than the "fetch failed" wrapped around it. */
function innermostMessage(error: unknown): string {
  let message = messageOf(error);
  for (let at = isRecord(error) ? error.cause : undefined, depth = 0; at instanceof Error && depth < 8; at = at.cause, depth++) {
    if (at.message !== "") message = at.message;
  }
  return message;
}

/** Describes how a probe failed; `timeoutMs` is set when its deadline passed, whatever the error then says. */
export function describeFailure(error: unknown, timeoutMs?: number): Failure {
  if (timeoutMs !== undefined) return { status: null, reason: `timeout after ${timeoutMs / 1000} s`, body: "" };
  const message = messageOf(error);
  if (error instanceof CheckFailure) return { status: null, reason: oneLine(message), body: "" };
  if (isRecord(error) && typeof error.status === "number") {
    const body = bodyOf(error, message);
    const label = errorLabel(body);
    return { status: error.status, reason: oneLine(label === undefined ? String(error.status) : `${error.status} ${label}`), body: JSON.stringify(body) ?? "" };
  }
  const code = socketCode(error);
  return { status: null, reason: code ?? oneLine(innermostMessage(error)), body: "" };
}
