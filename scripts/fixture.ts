// npm run fixture -- [--shape tiny|qwen3-0.6b] [--seed N] [--finishing] <out.gguf>
import { parseArgs } from "node:util";
import { SHAPES, writeQwen3Fixture, type ShapeName } from "./fixture/qwen3-fixture.js";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { shape: { type: "string", default: "tiny" }, seed: { type: "string", default: "42" }, finishing: { type: "boolean", default: false } },
});
const out = positionals[0];
const shape = values.shape as string;
if (out === undefined || !(shape in SHAPES)) {
  process.stderr.write(`usage: npm run fixture -- [--shape ${Object.keys(SHAPES).join("|")}] [--seed N] [--finishing] <out.gguf>\n`);
  process.exit(2);
}
const started = performance.now();
await writeQwen3Fixture(out, { shape: shape as ShapeName, seed: Number(values.seed), finishing: values.finishing });
process.stdout.write(`wrote ${out} (${shape}${values.finishing ? ", finishing" : ""}) in ${Math.round(performance.now() - started)} ms\n`);
