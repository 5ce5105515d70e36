// npm run bench -- --base http://127.0.0.1:8000 --model qwen3-0.6b [--levels 1,4,8] [--rounds 2] [--max-tokens 64]
// Streams chat completions against any OpenAI-compatible server and prints throughput and latency per concurrency level.
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    base: { type: "string", default: "http://127.0.0.1:8000" },
    model: { type: "string", default: "qwen3-0.6b" },
    levels: { type: "string", default: "1,4,8" },
    rounds: { type: "string", default: "2" },
    "max-tokens": { type: "string", default: "64" },
    "api-key": { type: "string", default: "" },
  },
});
const base = values.base.replace(/\/+$/, "");
const levels = values.levels.split(",").map(Number);
const rounds = Number(values.rounds);
const maxTokens = Number(values["max-tokens"]);

interface Sample { ttftMs: number; latencyMs: number; tokens: number }

async function streamOnce(id: number): Promise<Sample> {
  const started = performance.now();
  const response = await fetch(`${base}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(values["api-key"] === "" ? {} : { authorization: `Bearer ${values["api-key"]}` }) },
    body: JSON.stringify({
      model: values.model,
      messages: [{ role: "user", content: `Request ${id}: write a long story about a lighthouse keeper.` }],
      max_tokens: maxTokens,
      stream: true,
      stream_options: { include_usage: true },
    }),
  });
  if (!response.ok || response.body === null) throw new Error(`HTTP ${response.status}: ${await response.text()}`);
  let ttftMs = Number.NaN;
  let tokens = 0;
  let chunks = 0;
  let buffer = "";
  for await (const piece of response.body.pipeThrough(new TextDecoderStream())) {
    buffer += piece;
    let end: number;
    while ((end = buffer.indexOf("\n\n")) !== -1) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = frame.split("\n").find((l) => l.startsWith("data: "))?.slice(6);
      if (data === undefined || data === "[DONE]") continue;
      const chunk = JSON.parse(data) as { choices?: Array<{ delta?: { content?: string; reasoning_content?: string } }>; usage?: { completion_tokens?: number } };
      const delta = chunk.choices?.[0]?.delta;
      if ((delta?.content ?? delta?.reasoning_content ?? "") !== "") {
        chunks++;
        if (Number.isNaN(ttftMs)) ttftMs = performance.now() - started;
      }
      if (chunk.usage?.completion_tokens !== undefined) tokens = chunk.usage.completion_tokens;
    }
  }
  return { ttftMs, latencyMs: performance.now() - started, tokens: tokens || chunks };
}

const percentile = (xs: number[], p: number): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
};

async function level(concurrency: number): Promise<string> {
  let next = 0;
  const samples: Sample[] = [];
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    for (let r = 0; r < rounds; r++) samples.push(await streamOnce(next++));
  }));
  const seconds = (performance.now() - started) / 1000;
  const tokens = samples.reduce((sum, s) => sum + s.tokens, 0);
  const ttft = samples.map((s) => s.ttftMs);
  const cells = [
    String(concurrency), String(samples.length), String(tokens), (tokens / seconds).toFixed(1),
    percentile(ttft, 50).toFixed(0), percentile(ttft, 95).toFixed(0), percentile(samples.map((s) => s.latencyMs), 50).toFixed(0),
  ];
  return `| ${cells.join(" | ")} |`;
}

process.stdout.write(`LALS benchmark — ${base}, model ${values.model}, max_tokens ${maxTokens}, ${rounds} request(s) per client\n\n`);
process.stdout.write("| concurrency | requests | tokens | tokens/s | TTFT p50 ms | TTFT p95 ms | latency p50 ms |\n");
process.stdout.write("|---|---|---|---|---|---|---|\n");
await streamOnce(-1); // warm-up: loads caches and pages in the model
for (const concurrency of levels) process.stdout.write(`${await level(concurrency)}\n`);
