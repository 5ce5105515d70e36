// Plain fetch for what no SDK covers (GET /health, Ollama's /api/*, finding the model): a non-2xx answer becomes an
// HttpError with its body, and bodies are read within a bound, so a server cannot make the checker hold gigabytes.
import { readCappedText } from "../../engines/upstream/capped-body.js";
import { CheckFailure, HttpError } from "./check-failure.js";

const MAX_BODY_BYTES = 4 * 1024 * 1024;

/** `text` as JSON, or undefined when it is not JSON. */
export const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
};

export interface FetchSettings {
  method?: "GET" | "POST";
  headers?: Record<string, string>;
  body?: unknown;
  signal: AbortSignal;
}

/** `Authorization: Bearer <key>` when there is a key, nothing otherwise. */
export const bearer = (apiKey: string | undefined): Record<string, string> => (apiKey === undefined ? {} : { authorization: `Bearer ${apiKey}` });

/** Fetches `url`, resolving only on a 2xx answer. */
export async function fetchOk(url: string, settings: FetchSettings): Promise<Response> {
  const json: Record<string, string> = settings.body === undefined ? {} : { "content-type": "application/json" };
  const response = await fetch(url, {
    method: settings.method ?? "GET",
    headers: { ...json, ...settings.headers },
    ...(settings.body === undefined ? {} : { body: JSON.stringify(settings.body) }),
    signal: settings.signal,
  });
  if (response.ok) return response;
  const text = await readCappedText(response.body, MAX_BODY_BYTES);
  throw new HttpError(response.status, parseJson(text) ?? text);
}

/** A 2xx answer's body as JSON; a body that isn't JSON is a failure of the probe. */
export async function readJson(response: Response): Promise<unknown> {
  const text = await readCappedText(response.body, MAX_BODY_BYTES);
  const value = parseJson(text);
  if (value === undefined) throw new CheckFailure(`the body is not JSON: ${text.slice(0, 40)}`);
  return value;
}
