// npm run fixture -- [--shape tiny|qwen3-0.6b] [--seed N] [--finishing] [--embedding] [--reranker] <out.gguf>
import { parseArgs } from "node:util";
import { SHAPES, writeQwen3Fixture, type ShapeName } from "./fixture/qwen3-fixture.js";

const USAGE = `usage: npm run fixture -- [--shape ${Object.keys(SHAPES).join("|")}] [--seed N] [--finishing] [--embedding] [--reranker] <out.gguf>

Writes a Qwen3-architecture GGUF with random weights, Qwen3's special tokens and chat template.
  --shape      tiny (the tests' model, seconds to write) or qwen3-0.6b (the real model's sizes, for benchmarks); default tiny
  --seed N     the weights' random seed; default 42
  --finishing  reply with a known short text and end the turn (for agent clients), instead of never ending;
               with thinking on, think a known short thought first
  --embedding  an embedding model (last-token pooling, as Qwen3-Embedding), for /v1/embeddings
  --reranker   a reranker (rank pooling and a yes/no classifier head, as Qwen3-Reranker), for /v1/rerank
  <out.gguf>   the file to write
`;

function usage(code: number): never {
  (code === 0 ? process.stdout : process.stderr).write(USAGE);
  process.exit(code);
}

let parsed;
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: {
      shape: { type: "string", default: "tiny" },
      seed: { type: "string", default: "42" },
      finishing: { type: "boolean", default: false },
      embedding: { type: "boolean", default: false },
      reranker: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  usage(2);
}
const { values, positionals } = parsed;
if (values.help) usage(0);
const out = positionals[0];
const shape = values.shape;
if (out === undefined || !(shape in SHAPES)) usage(2);
const started = performance.now();
await writeQwen3Fixture(out, { shape: shape as ShapeName, seed: Number(values.seed), finishing: values.finishing, embedding: values.embedding, reranker: values.reranker });
process.stdout.write(`wrote ${out} (${shape}${values.finishing ? ", finishing" : ""}${values.embedding ? ", embedding" : ""}${values.reranker ? ", reranker" : ""}) in ${Math.round(performance.now() - started)} ms\n`);
