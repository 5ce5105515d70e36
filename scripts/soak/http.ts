// Small HTTP helpers for the soak clients: JSON posts with fetch, SSE frames of a response body, and raw exchanges on
// a `node:net` socket for what fetch can't send (a lying Content-Length, a foreign Host, bytes that aren't HTTP).
import { connect } from "node:net";

export const MODEL = "qwen3-0.6b";

/** The server under test; always a loopback address. */
export interface Target {
  host: string;
  port: number;
  baseUrl: string;
}

/** The target at a server's base URL, which must be on 127.0.0.1. */
export function targetOf(baseUrl: string): Target {
  const url = new URL(baseUrl);
  if (url.hostname !== "127.0.0.1") throw new Error(`soak clients only talk to 127.0.0.1, not ${url.hostname}`);
  return { host: url.hostname, port: Number(url.port), baseUrl };
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** An integer in [min, max]. */
export const randomInt = (min: number, max: number): number => min + Math.floor(Math.random() * (max - min + 1));

export function pick<T>(items: readonly T[]): T {
  return items[Math.floor(Math.random() * items.length)]!;
}

/** Statuses that mean "overloaded, come back later": OpenAI chat 429, Responses 503, Anthropic 529. */
export const isOverloaded = (status: number): boolean => status === 429 || status === 503 || status === 529;

export interface PostOptions {
  signal?: AbortSignal;
  headers?: Record<string, string>;
}

/** A POST of a JSON body (or whatever bytes are given, with the content type the headers say). */
export function post(target: Target, path: string, body: string | Uint8Array, options: PostOptions = {}): Promise<Response> {
  return fetch(`${target.baseUrl}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...options.headers },
    body,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
}

export interface SseFrame {
  event: string | undefined;
  data: string;
}

/** The SSE frames of a response body, as they arrive. */
export async function* sseFrames(body: ReadableStream<Uint8Array>): AsyncGenerator<SseFrame> {
  let buffer = "";
  for await (const piece of body.pipeThrough(new TextDecoderStream())) {
    buffer += piece;
    let end: number;
    while ((end = buffer.indexOf("\n\n")) !== -1) {
      const lines = buffer.slice(0, end).split("\n");
      buffer = buffer.slice(end + 2);
      const event = lines.find((l) => l.startsWith("event:"))?.slice(6).trim();
      const data = lines.filter((l) => l.startsWith("data:")).map((l) => l.slice(5).replace(/^ /, "")).join("\n");
      if (event === undefined && data === "") continue; // a comment or keep-alive
      yield { event, data };
    }
  }
  if (buffer.trim() !== "") throw new Error(`stream ended inside a frame: ${buffer.slice(0, 120)}`);
}

export interface RawAnswer {
  /** The status of the first response line, if one arrived. */
  status: number | undefined;
  /** The server closed (or reset) the connection. */
  closed: boolean;
  /** Our deadline passed with the connection still open. */
  timedOut: boolean;
}

/** Writes `bytes` on a fresh connection (half-closing it after, if asked) and waits for an answer or the close. */
export function rawExchange(target: Target, bytes: Uint8Array | string, { timeoutMs, end = false }: { timeoutMs: number; end?: boolean }): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const socket = connect({ host: target.host, port: target.port });
    let head = "";
    let settled = false;
    const finish = (closed: boolean, timedOut: boolean): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ status: statusOf(head), closed, timedOut });
    };
    const timer = setTimeout(() => finish(false, true), timeoutMs);
    socket.on("data", (chunk: Buffer) => {
      head += chunk.toString("latin1", 0, Math.min(chunk.length, 64));
      if (statusOf(head) !== undefined) finish(false, false);
    });
    socket.on("error", () => finish(true, false));
    socket.on("close", () => finish(true, false));
    socket.on("end", () => finish(true, false));
    socket.write(bytes, () => { if (end) socket.end(); });
  });
}

/** The status code of an HTTP/1.x response's first line. */
export function statusOf(head: string): number | undefined {
  const match = /^HTTP\/1\.[01] (\d{3})/.exec(head);
  return match === null ? undefined : Number(match[1]);
}

/** An HTTP/1.1 POST as raw text, with the Content-Length of `body` unless one is given. */
export function rawPost(target: Target, path: string, body: string, headers: Record<string, string> = {}): string {
  const all = { Host: `${target.host}:${target.port}`, "Content-Type": "application/json", "Content-Length": String(Buffer.byteLength(body)), Connection: "close", ...headers };
  return `POST ${path} HTTP/1.1\r\n${Object.entries(all).map(([k, v]) => `${k}: ${v}`).join("\r\n")}\r\n\r\n${body}`;
}

/** What a thrown fetch error says, with its cause (undici hides the socket error there). */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${(error.cause as Error & { code?: string }).code ?? error.cause.message}` : "";
  return `${error.name}: ${error.message}${cause}`;
}
