// Embedding throughput: batches of short texts (a sentence each, as a search index embeds its chunks' titles and
// queries) sent to /v1/embeddings, tokens per second as each server counts them (usage.prompt_tokens). No text is
// sent twice. `shared` texts begin alike ("Note 1234: a short passage about…"), as chunks made from one template do,
// and a server that builds on what a slot holds decodes that start once; `distinct` texts begin with a word the
// texts near them do not (compute alone).
import type { Target } from "./stream-chat.js";

const TOPICS = ["lighthouses", "glaciers", "rivers", "orchards", "bridges", "comets", "deserts", "harbours", "forests", "volcanoes"];
/** First words for `distinct` texts: more than a batch step or a server's slots hold at once. */
const OPENINGS = [
  "Amber", "Basalt", "Cedar", "Dunes", "Ember", "Fjord", "Granite", "Heather", "Iris", "Juniper", "Kelp", "Lagoon", "Meadow",
  "Nettle", "Obsidian", "Pine", "Quartz", "Reef", "Sorrel", "Tundra", "Umber", "Valley", "Willow", "Yarrow", "Zephyr",
  "Aspen", "Birch", "Coral", "Delta", "Estuary", "Fern", "Grove", "Hollow", "Inlet", "Jasper", "Knoll", "Lichen", "Marsh",
  "Nimbus", "Oasis",
];

export type TextStarts = "shared" | "distinct";

/** `count` different short texts, numbered from `first`. */
export function shortTexts(first: number, count: number, starts: TextStarts = "shared"): string[] {
  return Array.from({ length: count }, (_, i) => {
    const n = first + i;
    const topic = TOPICS[Math.abs(n) % TOPICS.length];
    return starts === "shared"
      ? `Note ${n}: a short passage about ${topic} and what the ${n}th visitor saw there.`
      : `${OPENINGS[Math.abs(n) % OPENINGS.length]} notes, number ${n}: a short passage about ${topic} and what a visitor saw.`;
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
