// LALS_CONFIG: a JSON file declaring upstream models and more local models served beside MODEL_PATH's, validated with zod.
//   {"models": [{"id": "coder", "path": "/models/coder.gguf", "aliases": ["claude-sonnet-*"], "contextSize": 32768}, …]}
//   {"models": [{"id": "embed", "path": "/models/qwen3-embedding.gguf", "kind": "embedding", "matryoshka": true}]}
//   {"models": [{"id": "rerank", "path": "/models/qwen3-reranker.gguf", "kind": "reranker"}]}
//   {"models": [{"id": "fleet", "aliases": ["gpt-4o*"],
//                "upstream": {"protocol": "openai" | "anthropic" | "openai-responses", "model": "qwen3-0.6b",
//                             "replicas": [{"baseUrl": "http://10.0.0.5:8000/v1", "apiKey": "…"}],
//                             "limits": {"idleTimeoutSeconds": 60, "maxConcurrentPerReplica": 64, …}}}]}
import { readFileSync } from "node:fs";
import { z } from "zod";
import { PROTOCOL_CLIENT_NAMES } from "./protocols/clients.js";
import type { ModelAlias } from "./engines/model-aliases.js";
import type { UpstreamLimits } from "./engines/upstream/upstream-limits.js";

const replica = z.strictObject({ baseUrl: z.url(), apiKey: z.string().min(1).optional(), weight: z.number().int().min(1).optional() });

const upstreamModel = z.strictObject({
  id: z.string().min(1),
  aliases: z.array(z.string().min(1)).default([]),
  contextLength: z.number().int().min(1).optional(),
  /** A served model that answers when this one's upstream is unreachable. */
  fallback: z.string().min(1).optional(),
  upstream: z.strictObject({
    protocol: z.enum(PROTOCOL_CLIENT_NAMES, { message: `accepts ${PROTOCOL_CLIENT_NAMES.join(", ")}` }),
    model: z.string().min(1),
    replicas: z.array(replica).min(1),
    balance: z.enum(["least-in-flight", "weighted-round-robin"]).default("least-in-flight"),
    healthCheckSeconds: z.number().min(0).default(10),
    /** Overrides of DEFAULT_UPSTREAM_LIMITS (upstream-limits.ts), which holds the defaults and their meaning. */
    limits: z.strictObject({
      maxErrorBodyBytes: z.number().int().min(1024).optional(),
      maxEventBytes: z.number().int().min(1024).optional(),
      firstByteTimeoutSeconds: z.number().positive().optional(),
      idleTimeoutSeconds: z.number().positive().optional(),
      maxConcurrentPerReplica: z.number().int().min(1).optional(),
    }).default({}),
  }),
});

/** A local GGUF loaded on demand, with settings of its own (each absent one takes the server's). */
const localModel = z.strictObject({
  id: z.string().min(1).regex(/^[\w.:\-/]+$/, "accepts letters, digits and . : - / _"),
  aliases: z.array(z.string().min(1)).default([]),
  /** File path, `hf:` URI or http(s) URL. */
  path: z.string().min(1),
  contextSize: z.union([z.literal("auto"), z.number().int().min(256)]).optional(),
  parallel: z.number().int().min(1).max(64).optional(),
  threads: z.number().int().min(1).max(1024).optional(),
  batchSize: z.number().int().min(1).optional(),
  kvType: z.enum(["f16", "q8_0"]).optional(),
  chatTemplate: z.string().min(1).optional(),
  thinking: z.enum(["auto", "on", "off"]).optional(),
  temperature: z.number().min(0).max(2).optional(),
  topP: z.number().min(0).max(1).optional(),
  /** `embedding` serves /v1/embeddings only, `reranker` /v1/rerank only; absent: detected from the GGUF (a pooling type, an encoder architecture). */
  kind: z.enum(["chat", "embedding", "reranker"]).optional(),
  /** A chat model that also serves /v1/embeddings (llama-server's --embeddings), from a second load of its file. */
  embeddings: z.boolean().optional(),
  /** Trained for shorter vectors (Matryoshka, e.g. Qwen3-Embedding): accept `dimensions`. */
  matryoshka: z.boolean().optional(),
});

const modelsFile = z.strictObject({ models: z.array(z.union([upstreamModel, localModel])) });

export type UpstreamModel = z.infer<typeof upstreamModel>;
export type LocalModel = z.infer<typeof localModel>;

/** An upstream model's limits as the engine takes them: only those the file sets, in ms. */
export function upstreamLimitsOf(model: UpstreamModel): Partial<UpstreamLimits> {
  const { maxErrorBodyBytes, maxEventBytes, firstByteTimeoutSeconds, idleTimeoutSeconds, maxConcurrentPerReplica } = model.upstream.limits;
  return {
    ...(maxErrorBodyBytes === undefined ? {} : { maxErrorBodyBytes }),
    ...(maxEventBytes === undefined ? {} : { maxEventBytes }),
    ...(firstByteTimeoutSeconds === undefined ? {} : { firstByteTimeoutMs: firstByteTimeoutSeconds * 1000 }),
    ...(idleTimeoutSeconds === undefined ? {} : { idleTimeoutMs: idleTimeoutSeconds * 1000 }),
    ...(maxConcurrentPerReplica === undefined ? {} : { maxConcurrentPerReplica }),
  };
}

/** The upstream and local models and their aliases; throws one line naming the file and the problem. */
export function readModelsFile(path: string): { upstreams: UpstreamModel[]; locals: LocalModel[]; aliases: ModelAlias[] } {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new Error(`LALS_CONFIG=${JSON.stringify(path)}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = modelsFile.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`LALS_CONFIG=${JSON.stringify(path)}: ${issue?.path.join(".") ?? ""}: ${issue?.message ?? "invalid"}`);
  }
  const upstreams = parsed.data.models.filter((m): m is UpstreamModel => "upstream" in m);
  const locals = parsed.data.models.filter((m): m is LocalModel => "path" in m);
  return { upstreams, locals, aliases: parsed.data.models.flatMap((m) => m.aliases.map((name) => ({ name, target: m.id }))) };
}
