// `lals fixture [--shape tiny|qwen3-0.6b] [--seed N] [--finishing] [--embedding] [--reranker] <out.gguf>` (also
// `npm run fixture -- …` in a clone): writes the test model, so LALS can be tried without a download.
import { parseArgs } from "node:util";
import { ConfigError } from "../config.js";
import { SHAPES, writeQwen3Fixture, type ShapeName } from "../fixture/qwen3-fixture.js";

export const FIXTURE_USAGE = `usage: lals fixture [--shape ${Object.keys(SHAPES).join("|")}] [--seed N] [--finishing] [--embedding] [--reranker] <out.gguf>
       (in a clone: npm run fixture -- …)

Writes a Qwen3-architecture GGUF with random weights, Qwen3's special tokens and chat template.
  --shape      tiny (the tests' model, seconds to write) or qwen3-0.6b (the real model's sizes, for benchmarks); default tiny
  --seed N     the weights' random seed; default 42
  --finishing  reply with a known short text and end the turn (for agent clients), instead of never ending;
               with thinking on, think a known short thought first
  --embedding  an embedding model (last-token pooling, as Qwen3-Embedding), for /v1/embeddings
  --reranker   a reranker (rank pooling and a yes/no classifier head, as Qwen3-Reranker), for /v1/rerank
  <out.gguf>   the file to write
`;

/** A usage error: ConfigError, which main prints without a stack trace and exits 2 for. */
const misuse = (why: string): ConfigError => new ConfigError(`${why}\n\n${FIXTURE_USAGE}`);

export async function writeFixture(argv: string[]): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
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
    throw misuse(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  if (values.help) return void process.stdout.write(FIXTURE_USAGE);
  const out = positionals[0];
  const shape = values.shape;
  if (out === undefined) throw misuse("the output file is missing");
  if (!(shape in SHAPES)) throw misuse(`--shape must be ${Object.keys(SHAPES).join(" or ")}, not '${shape}'`);
  const seed = Number(values.seed);
  if (!Number.isInteger(seed)) throw misuse(`--seed must be an integer, not '${values.seed}'`);
  const started = performance.now();
  await writeQwen3Fixture(out, { shape: shape as ShapeName, seed, finishing: values.finishing, embedding: values.embedding, reranker: values.reranker });
  const kinds = [shape, ...(values.finishing ? ["finishing"] : []), ...(values.embedding ? ["embedding"] : []), ...(values.reranker ? ["reranker"] : [])];
  process.stdout.write(`wrote ${out} (${kinds.join(", ")}) in ${Math.round(performance.now() - started)} ms\n`);
}
