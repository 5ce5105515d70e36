// npm run bench -- --base http://127.0.0.1:8000 --model qwen3-0.6b [--levels 1,4,8] [--rounds 3] [--max-tokens 64]
//   [--turns 5] [--pid <server pid>] [--baseline-model model.gguf --threads N --sequences N --context N]
// Streams chat completions against any OpenAI-compatible server and prints throughput and latency per concurrency
// level, TTFT per turn of a growing chat, the server's peak RSS, and — given the model file — gateway efficiency
// against node-llama-cpp alone in this process with the same threads and sequences (run it while the server is idle).
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { loadBaseline } from "./bench/baseline.js";

const { values } = parseArgs({
  options: {
    base: { type: "string", default: "http://127.0.0.1:8000" },
    model: { type: "string", default: "qwen3-0.6b" },
    levels: { type: "string", default: "1,4,8" },
    rounds: { type: "string", default: "3" },
    "max-tokens": { type: "string", default: "64" },
    "api-key": { type: "string", default: "" },
    turns: { type: "string", default: "5" },
    pid: { type: "string", default: "" },
    "baseline-model": { type: "string", default: "" },
    threads: { type: "string", default: "2" },
    sequences: { type: "string", default: "4" },
    context: { type: "string", default: "2048" },
  },
});
const base = values.base.replace(/\/+$/, "");
const levels = values.levels.split(",").map(Number);
const rounds = Number(values.rounds);
const maxTokens = Number(values["max-tokens"]);

interface Sample { ttftMs: number; latencyMs: number; tokens: number }

type ChatMessage = { role: "user" | "assistant"; content: string };

async function streamOnce(id: number, messages: ChatMessage[] = [{ role: "user", content: `Request ${id}: write a long story about a lighthouse keeper.` }]): Promise<Sample & { text: string; promptTokens: number; cachedTokens: number }> {
  const started = performance.now();
  const response = await fetch(`${base}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(values["api-key"] === "" ? {} : { authorization: `Bearer ${values["api-key"]}` }) },
    body: JSON.stringify({
      model: values.model,
      messages,
      max_tokens: maxTokens,
      stream: true,
      stream_options: { include_usage: true },
    }),
  });
  if (!response.ok || response.body === null) throw new Error(`HTTP ${response.status}: ${await response.text()}`);
  let ttftMs = Number.NaN;
  let tokens = 0;
  let text = "";
  let promptTokens = 0;
  let cachedTokens = 0;
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
      const chunk = JSON.parse(data) as {
        choices?: Array<{ delta?: { content?: string; reasoning_content?: string } }>;
        usage?: { completion_tokens?: number; prompt_tokens?: number; prompt_tokens_details?: { cached_tokens?: number } };
      };
      const delta = chunk.choices?.[0]?.delta;
      if ((delta?.content ?? delta?.reasoning_content ?? "") !== "") {
        chunks++;
        text += delta?.content ?? "";
        if (Number.isNaN(ttftMs)) ttftMs = performance.now() - started;
      }
      if (chunk.usage?.completion_tokens !== undefined) tokens = chunk.usage.completion_tokens;
      if (chunk.usage?.prompt_tokens !== undefined) promptTokens = chunk.usage.prompt_tokens;
      cachedTokens = chunk.usage?.prompt_tokens_details?.cached_tokens ?? cachedTokens;
    }
  }
  return { ttftMs, latencyMs: performance.now() - started, tokens: tokens || chunks, text, promptTokens, cachedTokens };
}

const percentile = (xs: number[], p: number): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
};

async function level(concurrency: number): Promise<{ row: string[]; tokensPerSecond: number }> {
  let next = 0;
  const samples: Sample[] = [];
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    for (let r = 0; r < rounds; r++) samples.push(await streamOnce(next++));
  }));
  const seconds = (performance.now() - started) / 1000;
  const tokens = samples.reduce((sum, s) => sum + s.tokens, 0);
  const ttft = samples.map((s) => s.ttftMs);
  const row = [
    String(concurrency), String(samples.length), String(tokens), (tokens / seconds).toFixed(1),
    percentile(ttft, 50).toFixed(0), percentile(ttft, 95).toFixed(0), percentile(samples.map((s) => s.latencyMs), 50).toFixed(0),
  ];
  return { row, tokensPerSecond: tokens / seconds };
}

/** One chat growing turn by turn: each request repeats the conversation so far, as chat clients do. */
async function multiTurn(turns: number): Promise<string[]> {
  const messages: ChatMessage[] = [{ role: "user", content: "You are helping me plan a lighthouse restoration. Start with the lamp." }];
  const rows: string[] = [];
  for (let turn = 1; turn <= turns; turn++) {
    const sample = await streamOnce(1000 + turn, messages);
    rows.push(`| ${turn} | ${sample.promptTokens} | ${sample.cachedTokens} | ${sample.ttftMs.toFixed(0)} |`);
    messages.push({ role: "assistant", content: sample.text }, { role: "user", content: `Turn ${turn + 1}: what next?` });
  }
  return rows;
}

/** The server's peak resident memory, from /proc (Linux). */
function peakRss(pid: string): string {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? Number.NaN);
  return `${(kb / 1024).toFixed(0)} MiB`;
}

const out = (line = ""): void => void process.stdout.write(`${line}\n`);
out(`LALS benchmark — ${base}, model ${values.model}, max_tokens ${maxTokens}, ${rounds} request(s) per client`);
out();
await streamOnce(-1); // warm-up: loads caches and pages in the model
const measured = [];
for (const concurrency of levels) measured.push({ concurrency, ...(await level(concurrency)) });

let efficiency: number[] | undefined;
if (values["baseline-model"] !== "") {
  const baseline = await loadBaseline({
    modelPath: values["baseline-model"], threads: Number(values.threads), sequences: Number(values.sequences),
    contextSize: Number(values.context), maxTokens,
  });
  await baseline.tokensPerSecond(1, 1);
  efficiency = [];
  for (const { concurrency, tokensPerSecond } of measured) efficiency.push(tokensPerSecond / await baseline.tokensPerSecond(concurrency, rounds));
  await baseline.dispose();
}
out(`| concurrency | requests | tokens | tokens/s | TTFT p50 ms | TTFT p95 ms | latency p50 ms |${efficiency === undefined ? "" : " gateway efficiency |"}`);
out(`|---|---|---|---|---|---|---|${efficiency === undefined ? "" : "---|"}`);
measured.forEach(({ row }, i) => out(`| ${[...row, ...(efficiency === undefined ? [] : [efficiency[i]!.toFixed(2)])].join(" | ")} |`));

const turns = Number(values.turns);
if (turns > 0) {
  out();
  out("| turn | prompt tokens | cached tokens | TTFT ms |");
  out("|---|---|---|---|");
  for (const row of await multiTurn(turns)) out(row);
}
if (values.pid !== "") {
  out();
  out(`server peak RSS: ${peakRss(values.pid)}`);
}
