// Ollama's native API through plain fetch (its answers typed here with zod): the version probe, and /api/chat whole
// and streamed as NDJSON.
import { z } from "zod";
import { readJsonLines } from "../../core/read-ndjson.js";
import { CheckFailure, ensure } from "./check-failure.js";
import { bearer, fetchOk, readJson } from "./fetch-ok.js";
import type { Probe, ProbeAnswer, ProbeContext } from "./probe.js";
import { PROMPT } from "./prompt.js";

const MAX_LINE_CHARS = 1024 * 1024;

const Version = z.object({ version: z.string().min(1) });
const ChatLine = z.object({
  message: z.object({ content: z.string() }).optional(),
  done: z.boolean(),
  eval_count: z.number().optional(),
});
type ChatLine = z.infer<typeof ChatLine>;

/** `value` in `schema`'s shape, or a CheckFailure naming the first field that is not. */
function parsed<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new CheckFailure(`${what}: ${issue?.path.join(".") || "body"} ${issue?.message ?? "is malformed"}`);
}

async function version(context: ProbeContext): Promise<ProbeAnswer> {
  const response = await fetchOk(`${context.url}/api/version`, { headers: bearer(context.apiKey), signal: context.signal });
  context.received(response.status);
  parsed(Version, await readJson(response), "the version");
  return { outputTokens: null };
}

const chatRequest = (context: ProbeContext, stream: boolean) => ({
  method: "POST" as const,
  headers: bearer(context.apiKey),
  body: { model: context.model, messages: [{ role: "user", content: PROMPT }], stream, options: { num_predict: context.maxTokens } },
  signal: context.signal,
});

/** The last line of a chat: done, with the reply's token count. */
function ensureDone(line: ChatLine | undefined): number {
  ensure(line?.done === true, "the last line is not done: true");
  ensure(line.eval_count !== undefined && line.eval_count > 0, "eval_count is not positive");
  return line.eval_count;
}

async function chat(context: ProbeContext): Promise<ProbeAnswer> {
  const response = await fetchOk(`${context.url}/api/chat`, chatRequest(context, false));
  context.received(response.status);
  const reply = parsed(ChatLine, await readJson(response), "the reply");
  ensure(reply.message !== undefined && reply.message.content !== "", "no text in the reply");
  return { outputTokens: ensureDone(reply) };
}

async function chatStream(context: ProbeContext): Promise<ProbeAnswer> {
  const response = await fetchOk(`${context.url}/api/chat`, chatRequest(context, true));
  context.received(response.status);
  ensure(response.body !== null, "no body");
  let text = "";
  let last: ChatLine | undefined;
  for await (const line of readJsonLines(response.body, MAX_LINE_CHARS)) {
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      throw new CheckFailure(`a line that is not JSON: ${line.slice(0, 40)}`);
    }
    last = parsed(ChatLine, json, "a line");
    const piece = last.message?.content ?? "";
    if (piece !== "") {
      context.firstToken();
      text += piece;
    }
  }
  ensure(text !== "", "no text in the lines");
  return { outputTokens: ensureDone(last) };
}

export const OLLAMA_PROBES: readonly Probe[] = [
  { name: "version", protocol: "ollama", stream: false, group: "ollama", needsModel: false, run: version },
  { name: "chat", protocol: "ollama", stream: false, group: "ollama", needsModel: true, run: chat },
  { name: "chat", protocol: "ollama", stream: true, group: "ollama", needsModel: true, run: chatStream },
];
