// API keys: every request but /health and / must carry one of the configured keys, as `Authorization: Bearer …`
// (OpenAI's SDK, Ollama's clients), `x-api-key` (Anthropic's), `x-goog-api-key` or `?key=` (Google's). Keys are compared in constant time. Those two open paths still note a
// valid key, so that GET / can show a key holder what it hides from everyone else.
import { createHash, timingSafeEqual } from "node:crypto";
import { readFileSync } from "node:fs";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { GatewayError } from "../core/gateway-error.js";

const OPEN_PATHS = new Set(["/health", "/"]);

/** Keys from API_KEYS (comma list) and API_KEYS_FILE (one per line, `#` comments); throws if the file can't be read. */
export function loadApiKeys(list: string, file: string): string[] {
  const fromFile = file === "" ? [] : readFileSync(file, "utf8").split("\n").map((line) => line.replace(/#.*/, ""));
  return [...new Set([...list.split(","), ...fromFile].map((key) => key.trim()).filter((key) => key !== ""))];
}

const digest = (value: string): Buffer => createHash("sha256").update(value).digest();

const headerValue = (value: unknown): string | undefined => (typeof value === "string" ? value.trim() : undefined);

/** The key a request presents, if any. */
export function presentedKey(request: Pick<FastifyRequest, "headers"> & { query?: unknown }): string | undefined {
  const bearer = /^Bearer\s+(.+)$/i.exec(request.headers.authorization ?? "")?.[1]?.trim();
  const query = request.query as { key?: unknown } | undefined;
  return bearer ?? headerValue(request.headers["x-api-key"]) ?? headerValue(request.headers["x-goog-api-key"]) ?? headerValue(query?.key);
}

/** Whether `key` is one of `keys`, looking at every key whatever matched, so timing tells nothing. */
export function isValidKey(keys: readonly Buffer[], key: string): boolean {
  const presented = digest(key);
  let valid = false;
  for (const known of keys) valid = timingSafeEqual(known, presented) || valid;
  return valid;
}

const keyIdOf = (key: string): string => `key:${digest(key).toString("hex").slice(0, 16)}`;

export function requireApiKeys(app: FastifyInstance, keys: readonly string[]): void {
  if (keys.length === 0) return;
  const digests = keys.map(digest);
  app.addHook("onRequest", async (request) => {
    const key = presentedKey(request);
    if (request.method === "GET" && OPEN_PATHS.has(request.url.split("?")[0]!)) {
      if (key !== undefined && isValidKey(digests, key)) request.lals.keyId = keyIdOf(key);
      return;
    }
    if (key === undefined) {
      throw new GatewayError("authentication", "Missing API key: send it as 'Authorization: Bearer <key>', 'x-api-key: <key>' or 'x-goog-api-key: <key>'.");
    }
    if (!isValidKey(digests, key)) throw new GatewayError("authentication", "Invalid API key.");
    request.lals.keyId = keyIdOf(key);
  });
}
