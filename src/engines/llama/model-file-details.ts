// A GGUF file described from its header (never its weights): size, a digest, architecture, parameter count,
// quantization, chat template and the metadata as dotted keys. Kept per file while it is unchanged.
import { createHash } from "node:crypto";
import { stat } from "node:fs/promises";
import { GgufFileType, readGgufFileInfo } from "node-llama-cpp";
import type { ModelFileDetails } from "../engine.js";

/** Arrays past this length (the vocabulary, the merges) are left out of the metadata, as Ollama's show does. */
const MAX_ARRAY = 16;
const IGNORED_KEYS = ["tokenizer.ggml.tokens", "tokenizer.ggml.merges", "tokenizer.ggml.token_type", "tokenizer.ggml.scores"];

const cache = new Map<string, { stamp: string; details: Promise<ModelFileDetails> }>();

export async function describeModelFile(path: string): Promise<ModelFileDetails> {
  const { size, mtimeMs } = await stat(path);
  const stamp = `${size}:${mtimeMs}`;
  const cached = cache.get(path);
  if (cached?.stamp === stamp) return cached.details;
  const details = read(path, size, mtimeMs);
  cache.set(path, { stamp, details });
  details.catch(() => cache.delete(path));
  return details;
}

async function read(path: string, sizeBytes: number, modifiedAt: number): Promise<ModelFileDetails> {
  const info = await readGgufFileInfo(path, { readTensorInfo: true, ignoreKeys: IGNORED_KEYS, logWarnings: false });
  const metadata = flatten(info.metadata as unknown as Record<string, unknown>);
  const general = info.metadata.general as { architecture?: string; size_label?: string; file_type?: number } | undefined;
  const parameterCount = (info.fullTensorInfo ?? info.tensorInfo ?? []).reduce((sum, tensor) => sum + tensor.dimensions.reduce<number>((n, d) => n * Number(d), 1), 0);
  const fileType = general?.file_type === undefined ? undefined : GgufFileType[general.file_type];
  const template = metadata["tokenizer.chat_template"];
  return {
    path,
    sizeBytes,
    modifiedAt: Math.round(modifiedAt),
    digest: createHash("sha256").update(`${path}\0${sizeBytes}\0${modifiedAt}`).digest("hex"),
    ...(general?.architecture === undefined ? {} : { architecture: general.architecture }),
    ...(parameterCount > 0 ? { parameterCount } : {}),
    ...(general?.size_label !== undefined ? { sizeLabel: general.size_label } : parameterCount > 0 ? { sizeLabel: sizeLabelOf(parameterCount) } : {}),
    ...(fileType === undefined ? {} : { quantization: fileType.replace(/^(MOSTLY|ALL)_/, "") }),
    ...(typeof template === "string" ? { chatTemplate: template } : {}),
    metadata,
  };
}

/** 596049920 → "596.05M", 7241732096 → "7.24B", as Ollama labels parameter counts. */
export function sizeLabelOf(parameters: number): string {
  const [divisor, unit] = parameters >= 1e9 ? [1e9, "B"] : parameters >= 1e6 ? [1e6, "M"] : [1e3, "K"];
  return `${(parameters / divisor).toFixed(2).replace(/\.?0+$/, "")}${unit}`;
}

/** `{general: {architecture: "qwen3"}}` → `{"general.architecture": "qwen3"}`, long arrays left out, bigints as numbers. */
export function flatten(value: Record<string, unknown>, prefix = "", into: Record<string, unknown> = {}): Record<string, unknown> {
  for (const [key, item] of Object.entries(value)) {
    const name = prefix === "" ? key : `${prefix}.${key}`;
    if (typeof item === "bigint") into[name] = Number(item);
    else if (Array.isArray(item)) {
      if (item.length <= MAX_ARRAY) into[name] = item.map((x: unknown) => (typeof x === "bigint" ? Number(x) : x));
    } else if (typeof item === "object" && item !== null) flatten(item as Record<string, unknown>, name, into);
    else into[name] = item;
  }
  return into;
}
