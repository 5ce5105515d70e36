// Embedding throughput: batches of short texts (a sentence each, as a search index embeds its chunks' titles and
// queries) sent to /v1/embeddings, tokens per second as each server counts them (usage.prompt_tokens). Every text is
// new to the server, so no cache answers for it.
import type { Target } from "./stream-chat.js";

const TOPICS = ["lighthouses", "glaciers", "rivers", "orchards", "bridges", "comets", "deserts", "harbours", "forests", "volcanoes"];

/** `count` different short texts, numbered from `first`. */
export function shortTexts(first: number, count: number): string[] {
  return Array.from({ length: count }, (_, i) => {
    const n = first + i;
    return `Note ${n}: a short passage about ${TOPICS[n % TOPICS.length]} and what the ${n}th visitor saw there.`;
  });
}

export interface EmbedResult {
  tokens: number;
  seconds: number;
}

/** Embeds `texts` in one request and times it. */
export async function embedBatch(target: Target, texts: readonly string[]): Promise<EmbedResult> {
  const started = performance.now();
  const reply = await fetch(`${target.base}/v1/embeddings`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(target.apiKey === "" ? {} : { authorization: `Bearer ${target.apiKey}` }) },
    body: JSON.stringify({ model: target.model, input: texts, encoding_format: "float" }),
  });
  const body = (await reply.json()) as { data?: unknown[]; usage?: { prompt_tokens?: number } };
  const seconds = (performance.now() - started) / 1000;
  if (!reply.ok || body.data?.length !== texts.length) throw new Error(`${target.base}: embeddings answered ${reply.status}: ${JSON.stringify(body).slice(0, 300)}`);
  return { tokens: body.usage?.prompt_tokens ?? 0, seconds };
}
