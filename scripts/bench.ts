// npm run bench -- --base http://127.0.0.1:8000 --model qwen3-0.6b [--levels 1,4,8] [--rounds 3] [--max-tokens 64]
//   [--turns 5] [--agent-turns 10 --agent-system-chars 80000 --agent-result-chars 1200] [--pid <server pid>] [--compare URL --compare-model M --compare-pid PID]
//   [--baseline-model model.gguf --threads N --sequences N --context N]
//   [--embeddings-model M [--compare-embeddings-model M] --embed-batches 1,32,256 --embed-starts shared,distinct]
//   [--restart-lals "<command serving --base>" --restart-compare "<command serving --compare>"]
// Streams chat completions against any OpenAI-compatible server and prints throughput and latency per concurrency
// level, TTFT per turn of a growing chat and of an agent session, the server's peak RSS and CPU backend variant, and —
// given the model file — gateway efficiency against node-llama-cpp alone in this process. With --compare, another
// server (llama-server, Ollama, another LALS) runs the same load interleaved with it, and each row gets their ratio.
// With --embeddings-model, batches of short texts are embedded (tokens/s); with --restart-lals (and --restart-compare),
// the bench starts each server itself, serves an agent's first turn, restarts it and times a new session's first turn.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { agentSession, type AgentTurn } from "./bench/agent-session.js";
import { loadBaseline } from "./bench/baseline.js";
import { embedBatch, shortTexts, type EmbedResult, type TextStarts } from "./bench/embeddings.js";
import { restartScenario, type RestartResult } from "./bench/restart.js";
import { streamChat, type BenchMessage, type StreamResult, type Target } from "./bench/stream-chat.js";

const { values } = parseArgs({
  options: {
    base: { type: "string", default: "http://127.0.0.1:8000" },
    model: { type: "string", default: "qwen3-0.6b" },
    levels: { type: "string", default: "1,4,8" },
    rounds: { type: "string", default: "3" },
    "max-tokens": { type: "string", default: "64" },
    "api-key": { type: "string", default: "" },
    turns: { type: "string", default: "5" },
    "agent-turns": { type: "string", default: "0" },
    "agent-system-chars": { type: "string", default: "80000" },
    "agent-result-chars": { type: "string", default: "1200" },
    pid: { type: "string", default: "" },
    compare: { type: "string", default: "" },
    "compare-model": { type: "string", default: "" },
    "compare-pid": { type: "string", default: "" },
    "baseline-model": { type: "string", default: "" },
    threads: { type: "string", default: "2" },
    sequences: { type: "string", default: "4" },
    context: { type: "string", default: "2048" },
    "embeddings-model": { type: "string", default: "" },
    "compare-embeddings-model": { type: "string", default: "" },
    "embed-batches": { type: "string", default: "1,32,256" },
    "embed-starts": { type: "string", default: "shared" },
    "restart-lals": { type: "string", default: "" },
    "restart-compare": { type: "string", default: "" },
  },
});
const levels = values.levels.split(",").map(Number);
const rounds = Number(values.rounds);
const maxTokens = Number(values["max-tokens"]);

interface Server extends Target {
  name: string;
  pid: string;
}
const lals: Server = { name: "LALS", base: values.base.replace(/\/+$/, ""), model: values.model, apiKey: values["api-key"], pid: values.pid };
const other: Server | undefined = values.compare === "" ? undefined : {
  name: "compared", base: values.compare.replace(/\/+$/, "").replace(/\/v1$/, ""), model: values["compare-model"] || values.model, apiKey: values["api-key"], pid: values["compare-pid"],
};
const servers = other === undefined ? [lals] : [lals, other];

const story = (id: number): BenchMessage[] => [{ role: "user", content: `Request ${id}: write a long story about a lighthouse keeper.` }];

const percentile = (xs: number[], p: number): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
};

interface Level {
  samples: StreamResult[];
  seconds: number;
}

/** One round of `concurrency` clients, each streaming one reply. */
async function round(server: Server, concurrency: number, first: number): Promise<Level> {
  const started = performance.now();
  const samples = await Promise.all(Array.from({ length: concurrency }, (_, i) => streamChat(server, story(first + i), maxTokens)));
  return { samples, seconds: (performance.now() - started) / 1000 };
}

const tokensPerSecond = (level: Level): number => level.samples.reduce((sum, s) => sum + s.tokens, 0) / level.seconds;

function row(concurrency: number, level: Level): string[] {
  const ttft = level.samples.map((s) => s.ttftMs);
  return [
    String(concurrency), String(level.samples.length), String(level.samples.reduce((sum, s) => sum + s.tokens, 0)), tokensPerSecond(level).toFixed(1),
    percentile(ttft, 50).toFixed(0), percentile(ttft, 95).toFixed(0), percentile(level.samples.map((s) => s.latencyMs), 50).toFixed(0),
  ];
}

// Each server sees each prompt once in a run: a prompt repeated from an earlier level would measure the server's
// prompt cache (llama-server keeps evicted slots in RAM) rather than its throughput.
let nextStory = 0;

/** Rounds alternate between the servers, so drift in the machine's speed falls on both alike. */
async function measureLevel(concurrency: number): Promise<Level[]> {
  const levelsByServer: Level[] = servers.map(() => ({ samples: [], seconds: 0 }));
  for (let r = 0; r < rounds; r++) {
    for (const [i, server] of servers.entries()) {
      const result = await round(server, concurrency, nextStory);
      levelsByServer[i]!.samples.push(...result.samples);
      levelsByServer[i]!.seconds += result.seconds;
    }
    nextStory += concurrency;
  }
  return levelsByServer;
}

/** One chat growing turn by turn: each request repeats the conversation so far, as chat clients do. */
async function multiTurn(server: Server, turns: number): Promise<string[]> {
  const messages: BenchMessage[] = [{ role: "user", content: "You are helping me plan a lighthouse restoration. Start with the lamp." }];
  const rows: string[] = [];
  for (let turn = 1; turn <= turns; turn++) {
    const sample = await streamChat(server, messages, maxTokens);
    rows.push(`| ${turn} | ${sample.promptTokens} | ${sample.cachedTokens} | ${sample.ttftMs.toFixed(0)} |`);
    messages.push({ role: "assistant", content: sample.text }, { role: "user", content: `Turn ${turn + 1}: what next?` });
  }
  return rows;
}

/** The process's peak resident memory, from /proc (Linux). */
function peakRss(pid: string): string {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return `${(Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? Number.NaN) / 1024).toFixed(0)} MiB`;
}

/** Which of ggml's CPU backend builds the process loaded (`zen4`, `haswell`…; `native` for a single-variant build). */
function cpuVariant(pid: string): string {
  const maps = readFileSync(`/proc/${pid}/maps`, "utf8");
  const variant = /libggml-cpu-([\w-]+)\.so/.exec(maps)?.[1];
  return variant ?? (/libggml-cpu\.so|libggml\.so/.test(maps) ? "native (one build for this CPU)" : "built in");
}

const out = (line = ""): void => void process.stdout.write(`${line}\n`);
out(`LALS benchmark — ${servers.map((s) => `${s.name} ${s.base} (${s.model})`).join(" vs ")}, max_tokens ${maxTokens}, ${rounds} round(s)`);
for (const server of servers) if (server.pid !== "") out(`${server.name} CPU backend: ${cpuVariant(server.pid)}`);
out();
const restarting = values["restart-lals"] !== "";
if (values["embeddings-model"] !== "") await embeddings();
else if (!restarting) await generation();
if (restarting) await restarts();
for (const server of servers) if (server.pid !== "") out(`${server.name} peak RSS: ${peakRss(server.pid)}`);

async function generation(): Promise<void> {
// Warm-up: pages in the model and leaves a chat in every slot, so that the first level measures a server in use
// rather than one choosing among empty slots.
const warmUp = Array.from({ length: Number(values.sequences) }, (_, i) => story(-1 - i));
for (const server of servers) await Promise.all(warmUp.map((messages) => streamChat(server, messages, maxTokens)));

const measured: Array<{ concurrency: number; levels: Level[] }> = [];
for (const concurrency of levels) measured.push({ concurrency, levels: await measureLevel(concurrency) });

let efficiency: number[] | undefined;
if (values["baseline-model"] !== "") {
  const baseline = await loadBaseline({
    modelPath: values["baseline-model"], threads: Number(values.threads), sequences: Number(values.sequences),
    contextSize: Number(values.context), maxTokens,
  });
  await baseline.tokensPerSecond(1, 1);
  efficiency = [];
  for (const { concurrency, levels: [ours] } of measured) efficiency.push(tokensPerSecond(ours!) / await baseline.tokensPerSecond(concurrency, rounds));
  await baseline.dispose();
}
for (const [i, server] of servers.entries()) {
  out(`${server.name}:`);
  out(`| concurrency | requests | tokens | tokens/s | TTFT p50 ms | TTFT p95 ms | latency p50 ms |${i === 0 && efficiency !== undefined ? " gateway efficiency |" : ""}`);
  out(`|---|---|---|---|---|---|---|${i === 0 && efficiency !== undefined ? "---|" : ""}`);
  measured.forEach(({ concurrency, levels: byServer }, j) => {
    out(`| ${[...row(concurrency, byServer[i]!), ...(i === 0 && efficiency !== undefined ? [efficiency[j]!.toFixed(2)] : [])].join(" | ")} |`);
  });
  out();
}
if (other !== undefined) {
  out("LALS ÷ compared:");
  out("| concurrency | tokens/s ratio | TTFT p50 ratio (lower is better) |");
  out("|---|---|---|");
  for (const { concurrency, levels: [ours, theirs] } of measured) {
    const ttft = (l: Level): number => percentile(l.samples.map((s) => s.ttftMs), 50);
    out(`| ${concurrency} | ${(tokensPerSecond(ours!) / tokensPerSecond(theirs!)).toFixed(2)} | ${(ttft(ours!) / ttft(theirs!)).toFixed(2)} |`);
  }
  out();
}

const turns = Number(values.turns);
if (turns > 0) {
  for (const server of servers) {
    out(`${server.name}, one chat growing turn by turn:`);
    out("| turn | prompt tokens | cached tokens | TTFT ms |");
    out("|---|---|---|---|");
    for (const line of await multiTurn(server, turns)) out(line);
    out();
  }
}

const agentTurns = Number(values["agent-turns"]);
if (agentTurns > 0) {
  const sessions: AgentTurn[][] = [];
  for (const server of servers) {
    sessions.push(await agentSession(server, { turns: agentTurns, systemChars: Number(values["agent-system-chars"]), resultChars: Number(values["agent-result-chars"]), answerTokens: 16 }));
  }
  out(`Agent session (${agentTurns} turns; a side request between turns):`);
  out(`| turn | ${servers.map((s) => `${s.name} prompt | ${s.name} cached | ${s.name} TTFT ms | ${s.name} side TTFT ms`).join(" | ")} |`);
  out(`|---|${servers.map(() => "---|---|---|---|").join("")}`);
  for (let t = 0; t < agentTurns; t++) {
    out(`| ${t + 1} | ${sessions.map((rows) => `${rows[t]!.promptTokens} | ${rows[t]!.cachedTokens} | ${rows[t]!.ttftMs.toFixed(0)} | ${rows[t]!.sideTtftMs.toFixed(0)}`).join(" | ")} |`);
  }
  for (const [i, server] of servers.entries()) {
    const later = sessions[i]!.slice(1);
    out(`${server.name}: median TTFT of turns 2+ ${percentile(later.map((r) => r.ttftMs), 50).toFixed(0)} ms, of side requests ${percentile(sessions[i]!.map((r) => r.sideTtftMs), 50).toFixed(0)} ms; cached share of the previous prompt ${later.map((r, k) => (r.cachedTokens / sessions[i]![k]!.promptTokens * 100).toFixed(0)).join(", ")} %`);
  }
  out();
}
}

/** Batches of short texts embedded by each server in turn, `rounds` times per batch size, for each kind of text start. */
async function embeddings(): Promise<void> {
  const targets = servers.map((server, i) => ({ ...server, model: i === 0 ? values["embeddings-model"] : values["compare-embeddings-model"] || values["embeddings-model"] }));
  const batches = values["embed-batches"].split(",").map(Number);
  const startsList = values["embed-starts"].split(",") as TextStarts[];
  let next = 0;
  for (const target of targets) await embedBatch(target, shortTexts(-100, 4)); // loads the model
  for (const starts of startsList) {
    const results = batches.map(() => targets.map(() => [] as EmbedResult[]));
    for (const [b, size] of batches.entries()) {
      for (let r = 0; r < rounds; r++) {
        for (const [i, target] of targets.entries()) results[b]![i]!.push(await embedBatch(target, shortTexts(next, size, starts)));
        next += size;
      }
    }
    const rate = (rs: EmbedResult[]): number => rs.reduce((sum, x) => sum + x.tokens, 0) / rs.reduce((sum, x) => sum + x.seconds, 0);
    out(`Embeddings, texts with ${starts} starts (${rounds} round(s) per batch; tokens/s as each server counts them):`);
    out(`| batch | ${targets.map((t) => `${t.name} tokens/request | ${t.name} tokens/s | ${t.name} ms/request`).join(" | ")} |${other === undefined ? "" : " ratio |"}`);
    out(`|---|${targets.map(() => "---|---|---|").join("")}${other === undefined ? "" : "---|"}`);
    for (const [b, size] of batches.entries()) {
      const cells = results[b]!.map((rs) => `${(rs.reduce((sum, x) => sum + x.tokens, 0) / rs.length).toFixed(0)} | ${rate(rs).toFixed(0)} | ${(rs.reduce((sum, x) => sum + x.seconds, 0) / rs.length * 1000).toFixed(0)}`);
      out(`| ${size} | ${cells.join(" | ")} |${other === undefined ? "" : ` ${(rate(results[b]![0]!) / rate(results[b]![1]!)).toFixed(2)} |`}`);
    }
    out();
  }
}

/** The agent replay's restart step, for each server the bench was told how to start. */
async function restarts(): Promise<void> {
  const commands = [values["restart-lals"], values["restart-compare"]];
  const session = { systemChars: Number(values["agent-system-chars"]), resultChars: Number(values["agent-result-chars"]), answerTokens: 16 };
  const results: Array<[Server, RestartResult]> = [];
  for (const [i, server] of servers.entries()) {
    if (commands[i] === "") continue;
    results.push([server, await restartScenario(server, commands[i]!, session)]);
  }
  out("Restart (an agent's first turn, the server restarted, a new session with the same system prompt and tools):");
  out("| server | cold first turn: prompt | TTFT ms | after the restart: prompt | cached | TTFT ms | ÷ cold |");
  out("|---|---|---|---|---|---|---|");
  for (const [server, { cold, warm }] of results) {
    out(`| ${server.name} | ${cold.promptTokens} | ${cold.ttftMs.toFixed(0)} | ${warm.promptTokens} | ${warm.cachedTokens} | ${warm.ttftMs.toFixed(0)} | ${(warm.ttftMs / cold.ttftMs * 100).toFixed(1)}% |`);
  }
  out();
}
