// One streamed chat completion against any OpenAI-compatible server, timed: time to first content, tokens, usage.
import { readEvents } from "../../src/core/read-sse.js";

export interface Target {
  /** Base URL without /v1. */
  base: string;
  model: string;
  apiKey: string;
}

export type BenchMessage =
  | { role: "system" | "user"; content: string }
  | { role: "assistant"; content: string | null; tool_calls?: Array<{ id: string; type: "function"; function: { name: string; arguments: string } }> }
  | { role: "tool"; tool_call_id: string; content: string };

export interface StreamResult {
  ttftMs: number;
  latencyMs: number;
  /** Generated tokens (usage, else content chunks). */
  tokens: number;
  text: string;
  promptTokens: number;
  cachedTokens: number;
}

export async function streamChat(target: Target, messages: BenchMessage[], maxTokens: number, extra: Record<string, unknown> = {}): Promise<StreamResult> {
  const started = performance.now();
  const response = await fetch(`${target.base}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(target.apiKey === "" ? {} : { authorization: `Bearer ${target.apiKey}` }) },
    body: JSON.stringify({ model: target.model, messages, max_tokens: maxTokens, stream: true, stream_options: { include_usage: true }, ...extra }),
  });
  if (!response.ok || response.body === null) throw new Error(`${target.base}: HTTP ${response.status}: ${await response.text()}`);
  let ttftMs = Number.NaN;
  let tokens = 0;
  let text = "";
  let promptTokens = 0;
  let cachedTokens = 0;
  let chunks = 0;
  for await (const event of readEvents(response.body)) {
    const chunk = JSON.parse(event.data) as {
      choices?: Array<{ delta?: { content?: string | null; reasoning_content?: string | null; tool_calls?: unknown[] } }>;
      usage?: { completion_tokens?: number; prompt_tokens?: number; prompt_tokens_details?: { cached_tokens?: number } };
      timings?: { cache_n?: number };
    };
    const delta = chunk.choices?.[0]?.delta;
    if ((delta?.content ?? delta?.reasoning_content ?? "") !== "" || (delta?.tool_calls?.length ?? 0) > 0) {
      chunks++;
      text += delta?.content ?? "";
      if (Number.isNaN(ttftMs)) ttftMs = performance.now() - started;
    }
    if (chunk.usage?.completion_tokens !== undefined) tokens = chunk.usage.completion_tokens;
    if (chunk.usage?.prompt_tokens !== undefined) promptTokens = chunk.usage.prompt_tokens;
    // llama-server reports reuse as timings.cache_n; OpenAI's field where it has it.
    cachedTokens = chunk.usage?.prompt_tokens_details?.cached_tokens ?? chunk.timings?.cache_n ?? cachedTokens;
  }
  return { ttftMs, latencyMs: performance.now() - started, tokens: tokens || chunks, text, promptTokens, cachedTokens };
}
