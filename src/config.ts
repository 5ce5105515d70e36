// All configuration, read once from the environment and CLI flags (a flag wins), validated, and passed down.
import { availableParallelism } from "node:os";
import { z } from "zod";

export const DEFAULT_MODEL_URI = "hf:Qwen/Qwen3-0.6B-GGUF:Q4_K_M";

const bool = z
  .enum(["true", "false", "1", "0", "yes", "no", "on", "off"], { message: "accepts true or false" })
  .transform((v) => ["true", "1", "yes", "on"].includes(v));
const int = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce.number({ message: "accepts a whole number" }).int({ message: "accepts a whole number" })
    .min(min, { message: `accepts a whole number from ${min}` }).max(max, { message: `accepts a whole number up to ${max}` });
const num = (min: number, max: number) =>
  z.coerce.number({ message: "accepts a number" }).min(min, { message: `accepts a number from ${min} to ${max}` })
    .max(max, { message: `accepts a number from ${min} to ${max}` });

/** Threads for llama.cpp: every core on small machines (a 0.6B model decodes ~1.5× faster on 2 threads than 1 on 2 cores), one left for HTTP on larger ones. */
export function defaultThreads(cores = availableParallelism()): number {
  return cores <= 2 ? cores : cores - 1;
}

/** Every setting: its variable, the schema of its value, its default, and what it does (README's table is made from it). */
export const SETTINGS = {
  MODEL_PATH: { schema: z.string().min(1), default: DEFAULT_MODEL_URI, doc: "GGUF file path, `hf:` URI or https URL of the model" },
  MODEL_CACHE_DIR: { schema: z.string(), default: "", doc: "Where downloaded models are kept (default `~/.cache/lals/models`)" },
  MODEL_ALIAS: { schema: z.string().min(1).regex(/^[\w.:\-/]+$/, "accepts letters, digits and . : - / _"), default: "qwen3-0.6b", doc: "Public model id clients ask for" },
  LALS_CONFIG: { schema: z.string(), default: "", doc: "JSON file declaring upstream models (OpenAI-compatible servers, with replicas and aliases) served beside the local one" },
  MODEL_VENDOR_NAMES: {
    schema: bool,
    default: "true",
    doc: "Serve the vendors' model names (claude-*, gpt-*, chatgpt-*, o<digit>*, codex-*, gemini-*) with the default model when no model or alias matches, as Claude Code and Codex ask for their own by default; false: such names are 404s",
  },
  MODEL_ALIASES: {
    schema: z.string().regex(/^\s*$|^[^=,\s]+=[^=,\s]+(\s*,\s*[^=,\s]+=[^=,\s]+)*\s*$/, "accepts name=model pairs separated by commas, names may use * and ? (claude-*=qwen3-0.6b)"),
    default: "",
    doc: "Other model names clients may ask for, as `name=model` pairs; `*` and `?` match any text / one character (`claude-*=qwen3-0.6b,gpt-4o*=qwen3-0.6b`)",
  },
  MODEL_CHAT_TEMPLATE: {
    schema: z.enum(["auto", "qwen", "chatML", "general", "jinjaTemplate", "llama3.1", "llama3", "mistral", "gemma", "deepSeek", "harmony"], { message: "accepts auto, qwen, chatML, general, jinjaTemplate, llama3.1, llama3, mistral, gemma, deepSeek or harmony" }),
    default: "auto",
    doc: "Chat format: `auto` resolves it from the GGUF's template; or a node-llama-cpp wrapper name",
  },
  MODEL_N_CTX: {
    schema: z.union([z.literal("auto"), int(256, 1 << 20)], { message: "accepts auto or a whole number from 256" }),
    default: "auto",
    doc: "Context size of each slot, in tokens; `auto`: the model's trained context (40,960 for Qwen3) as far as free memory allows, at least 2,048",
  },
  MODEL_KV_TYPE: { schema: z.enum(["f16", "q8_0"], { message: "accepts f16 or q8_0" }), default: "f16", doc: "Type of the KV cache: `q8_0` halves its memory (twice the context in the same RAM) at a small cost in accuracy" },
  MODEL_N_THREADS: { schema: int(0, 1024), default: "0", doc: "llama.cpp threads; 0 picks from the machine (all cores up to 2, else cores − 1); tiny models run faster on 1" },
  MODEL_POLL: {
    schema: bool,
    default: "false",
    doc: "Keep the event loop polling while replies are generated instead of sleeping between each token's native calls (as llama.cpp's threads spin-wait): on a small model next tokens start sooner when a core is free for it and clients run elsewhere, for one busy core while generating; with clients on the same few cores it slows them down",
  },
  MODEL_BINARY: {
    schema: z.enum(["auto", "prebuilt", "local"], { message: "accepts auto, prebuilt or local" }),
    default: "auto",
    doc: "llama.cpp binding: `auto` loads the local build `npm run build:native` made (LALS's native fast path: a persistent thread pool, decoding and sampling in one native call, embeddings batched) when there is one, else node-llama-cpp's prebuilt binaries; `prebuilt` or `local` insist",
  },
  MODEL_THREAD_POLL: { schema: int(-1, 100), default: "50", doc: "With the local build: how long llama.cpp's idle pool threads spin before they sleep, 0–100 like llama-server's --poll (a busy core between tokens, for the next decode to start at once); -1: no persistent pool" },
  MODEL_BATCH_SIZE: { schema: int(0, 1 << 16), default: "0", doc: "Tokens evaluated per decode step (0: node-llama-cpp's default, 512); smaller makes a long prompt delay the other slots' next tokens less, at some cost in prompt speed" },
  MODEL_MMAP: { schema: bool, default: "false", doc: "Map the model file instead of reading it: starts faster, but llama.cpp's CPU weight repacking then keeps a second copy resident (0.6 GB more for Qwen3-0.6B)" },
  MODEL_PARALLEL: { schema: int(1, 64), default: "2", doc: "Parallel slots (sequences) decoded together in shared batches" },
  MODEL_TEMP: { schema: num(0, 2), default: "0.7", doc: "Default temperature when a request sets none" },
  MODEL_TOP_P: { schema: num(0, 1), default: "0.9", doc: "Default top_p when a request sets none" },
  MODEL_THINKING: {
    schema: z.enum(["auto", "on", "off"], { message: "accepts auto, on or off" }),
    default: "auto",
    doc: "Thinking when a request does not say: `auto` lets the model decide, `on` opens a thinking segment first, `off` discourages it",
  },
  MODEL_PROMPT_CACHE: { schema: int(0), default: "8192", doc: "MiB of disk each local model may use for saved prompts: a slot's state saved to a file before another conversation takes the slot over, and what the slots hold when the model unloads or the server stops; loaded back when that conversation returns, after a restart too (per API key, at least 256 tokens; least recently used dropped first); 0: off" },
  MODEL_PROMPT_CACHE_DIR: { schema: z.string(), default: "", doc: "Where the saved prompts are kept across restarts (a 0700 directory per model and KV layout inside it; default `~/.cache/lals/prompts`; `lals cache clear` empties it); a RAM disk such as `/dev/shm` saves faster, in memory, but not across reboots" },
  MODEL_MEMORY_LIMIT: { schema: int(0), default: "0", doc: "MiB the local models may use together (weights and context, as node-llama-cpp estimates them); loading one that does not fit unloads the least recently used idle ones first; 0: 90% of the memory free at start-up" },
  MODEL_IDLE_TTL: { schema: int(0), default: "600", doc: "Seconds a model loaded on demand (LALS_CONFIG's local models) stays loaded without requests; 0: until memory is needed" },
  MODEL_MIN_RESIDENCY: { schema: int(0, 86400), default: "30", doc: "Seconds a model loaded on demand stays loaded before another may unload it to make room in MODEL_MEMORY_LIMIT; a request for the other waits meanwhile (at most QUEUE_TIMEOUT), so two models asked for in turn swap at most once per this many seconds; 0: no minimum" },
  MAX_QUEUE: { schema: int(0, 100000), default: "64", doc: "Requests waiting for a slot before new ones are refused as overloaded" },
  MAX_CONCURRENT_PER_KEY: {
    schema: z.union([z.literal("auto"), int(0, 100000)], { message: "accepts auto or a whole number" }),
    default: "auto",
    doc: "Generations one API key may run at once (each client address, without keys); more wait for one of its own to end, so one key cannot hold every slot; `auto`: MODEL_PARALLEL − 1 (at least 1) with API keys, no cap without (all clients are then one tenant); 0: no cap",
  },
  WRITE_STALL_TIMEOUT: { schema: int(0, 3600), default: "30", doc: "Seconds a streaming client may take nothing of what waits for it (on Linux, judged by what its TCP side acknowledges, as the kernel buffers megabytes) before it is cut off and its generation cancelled; 0: never" },
  QUEUE_TIMEOUT: { schema: int(0, 86400), default: "120", doc: "Seconds a request may wait for a slot before it is refused as overloaded (0: no limit)" },
  ENABLE_OPENAI_API: { schema: bool, default: "true", doc: "Serve the OpenAI endpoints" },
  ENABLE_ANTHROPIC_API: { schema: bool, default: "true", doc: "Serve the Anthropic endpoints (`/v1/messages`, `/v1/messages/count_tokens`, `/v1/complete`)" },
  ENABLE_GEMINI_API: { schema: bool, default: "true", doc: "Serve the Gemini API (`/v1beta/models/{model}:generateContent` and the rest)" },
  ENABLE_OLLAMA_API: { schema: bool, default: "true", doc: "Serve Ollama's API (`/api/chat`, `/api/generate`, `/api/tags` and the rest)" },
  ENABLE_UNIVERSAL_ROUTER: { schema: bool, default: "true", doc: "Serve `/v1/inference`, which answers in the protocol the request speaks" },
  UNIVERSAL_DEFAULT_PROTOCOL: {
    schema: z.enum(["openai", "anthropic"], { message: "accepts openai or anthropic" }),
    default: "openai",
    doc: "Protocol `/v1/inference` answers in when a request fits both",
  },
  HOST: { schema: z.string().min(1), default: "127.0.0.1", doc: "Address to bind (loopback by default; with no API keys, only this machine should reach LALS)" },
  API_KEYS: { schema: z.string(), default: "", doc: "Comma-separated keys clients must send (`Authorization: Bearer …` or `x-api-key`); empty: no key needed" },
  API_KEYS_FILE: { schema: z.string(), default: "", doc: "File with more keys, one per line (`#` comments allowed)" },
  PORT: { schema: int(0, 65535), default: "8000", doc: "Port to bind (0 picks a free one)" },
  WORKERS: { schema: int(1, 1), default: "1", doc: "Worker processes; only 1 is supported (use MODEL_PARALLEL for concurrency)" },
  SHUTDOWN_TIMEOUT: { schema: int(0, 3600), default: "10", doc: "Seconds in-flight requests get to finish on SIGTERM/SIGINT before they are cancelled" },
  ALLOWED_ORIGINS: {
    schema: z.string().regex(/^\s*$|^\s*(\*|[a-z][a-z\d+.-]*:\/\/[^\s,/]+)(\s*,\s*(\*|[a-z][a-z\d+.-]*:\/\/[^\s,/]+))*\s*$/i, "accepts origins separated by commas (https://app.example:3000), or *"),
    default: "",
    doc: "Web pages (origins) besides LALS's own that may call it from a browser, with CORS; `*`: any. Requests from other pages are refused 403",
  },
  ALLOWED_HOSTS: {
    schema: z.string().regex(/^\s*$|^\s*(\*|[\w.-]+)(\s*,\s*(\*|[\w.-]+))*\s*$/, "accepts host names separated by commas, or *"),
    default: "",
    doc: "Host names besides loopback names, IP addresses and HOST that requests may address (e.g. behind a proxy); `*`: any. Others are refused 403, which stops DNS rebinding",
  },
  REQUEST_TIMEOUT: { schema: int(0, 3600), default: "60", doc: "Seconds a client has to send a whole request, headers and body (408 after); answers are not limited by it; 0: no limit" },
  KEEP_ALIVE_TIMEOUT: { schema: int(1, 3600), default: "72", doc: "Seconds an idle keep-alive connection stays open between requests" },
  CONNECTION_TIMEOUT: { schema: int(0, 86400), default: "0", doc: "Seconds a connection may stay silent both ways before it is closed, answers included (a non-streamed generation is silent until done); 0: no limit" },
  MAX_CONNECTIONS: { schema: int(0, 1000000), default: "512", doc: "Open connections at once; past it a new one takes the place of an idle one (no request in flight), or is closed if none is; 0: no limit" },
  MAX_CONNECTIONS_PER_ADDRESS: {
    schema: z.union([z.literal("auto"), int(0, 1000000)], { message: "accepts auto or a whole number" }),
    default: "auto",
    doc: "Open connections at once from one client address; past it a new one takes the place of that address's idle one, or is closed. Behind a proxy all clients share its address; `auto`: a quarter of MAX_CONNECTIONS, at least 8; 0: no limit",
  },
  FIRST_BYTE_TIMEOUT: { schema: int(0, 3600), default: "5", doc: "Seconds a new connection may stay silent before it is closed; 0: no limit (REQUEST_TIMEOUT still applies)" },
  ENABLE_STREAMING: { schema: bool, default: "true", doc: "Allow `stream: true`; when false such requests get a 400" },
  ENABLE_CACHING: { schema: bool, default: "false", doc: "Cache replies to deterministic requests (temperature 0 or a seed) and replay them, streamed or not, in either protocol" },
  CACHE_MAX_ENTRIES: { schema: int(1), default: "1000", doc: "Most replies the cache holds (least recently used go first)" },
  CACHE_MAX_BYTES: { schema: int(1024), default: "67108864", doc: "Most bytes the cache holds" },
  RESPONSES_STORE_MAX_ENTRIES: { schema: int(1), default: "1000", doc: "Most responses the Responses API stores for previous_response_id and retrieval, all keys together (least recently used go first)" },
  RESPONSES_STORE_MAX_BYTES: { schema: int(1024), default: "268435456", doc: "Most bytes of stored responses, all keys together" },
  RESPONSES_STORE_MAX_PER_KEY_ENTRIES: {
    schema: z.union([z.literal("auto"), int(1)], { message: "accepts auto or a whole number from 1" }),
    default: "auto",
    doc: "Most stored responses one API key (each client address, without keys) keeps; past it, that key's own least recently used go, never another key's; `auto`: a quarter of RESPONSES_STORE_MAX_ENTRIES",
  },
  RESPONSES_STORE_MAX_PER_KEY_BYTES: {
    schema: z.union([z.literal("auto"), int(1024)], { message: "accepts auto or a whole number from 1024" }),
    default: "auto",
    doc: "Most bytes of stored responses one API key (or client address) keeps, as RESPONSES_STORE_MAX_PER_KEY_ENTRIES; `auto`: a quarter of RESPONSES_STORE_MAX_BYTES",
  },
  MAX_TOKENS_LIMIT: { schema: int(1), default: "32768", doc: "Most output tokens a request may have; a larger max_tokens is lowered to it (or refused, see MAX_TOKENS_OVER_LIMIT). Generation also stops where the slot's context ends" },
  MAX_TOKENS_OVER_LIMIT: { schema: z.enum(["clamp", "refuse"], { message: "accepts clamp or refuse" }), default: "clamp", doc: "`clamp`: a max_tokens above MAX_TOKENS_LIMIT is lowered to it, as vendors treat max_tokens as a ceiling; `refuse`: a 400" },
  REDIS_URL: {
    schema: z.string().regex(/^$|^rediss?:\/\/\S+$/, "accepts a redis:// or rediss:// URL, or nothing"),
    default: "",
    doc: "Redis shared by every instance behind one balancer: the Responses store, rate limits and token budgets, and the reply cache live there, so any instance answers any request; unreachable, what needs it answers 503. Empty: all in this process",
  },
  RATE_LIMIT_ENABLED: { schema: bool, default: "false", doc: "Limit requests and tokens per minute for each API key (each client address without keys)" },
  RATE_LIMIT_RPM: { schema: int(1), default: "60", doc: "Requests per minute per key or address, when rate limiting is on" },
  RATE_LIMIT_TPM: { schema: int(0), default: "0", doc: "Tokens (prompt + generated) per minute per key or address, when rate limiting is on; 0: no token limit" },
  LOG_LEVEL: { schema: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"], { message: "accepts fatal, error, warn, info, debug, trace or silent" }), default: "info", doc: "Log level" },
  LOG_FORMAT: { schema: z.enum(["text", "json"], { message: "accepts text or json" }), default: "text", doc: "`json`: one JSON object per line; `text`: readable lines" },
} as const;

type Settings = typeof SETTINGS;
export type SettingName = keyof Settings;
type RawConfig = { [K in SettingName]: z.output<Settings[K]["schema"]> };

export interface Config extends RawConfig {
  /** MODEL_N_THREADS with 0 resolved to the machine's default. */
  threads: number;
}

/** `MODEL_N_CTX` → `--model-n-ctx`. */
export function flagName(setting: SettingName): string {
  return `--${setting.toLowerCase().replaceAll("_", "-")}`;
}

export class ConfigError extends Error {}

function parseFlags(argv: readonly string[]): Partial<Record<SettingName, string>> {
  const byFlag = new Map(Object.keys(SETTINGS).map((name) => [flagName(name as SettingName), name as SettingName]));
  const values: Partial<Record<SettingName, string>> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    const eq = arg.indexOf("=");
    const flag = eq === -1 ? arg : arg.slice(0, eq);
    const setting = byFlag.get(flag);
    if (setting === undefined) throw new ConfigError(`unknown option ${flag}; see lals --help`);
    const value = eq === -1 ? argv[++i] : arg.slice(eq + 1);
    if (value === undefined) throw new ConfigError(`${flag} needs a value`);
    values[setting] = value;
  }
  return values;
}

/** Reads the configuration; throws a ConfigError whose message is one line naming the setting and what it accepts. */
export function loadConfig(argv: readonly string[] = [], env: Record<string, string | undefined> = process.env): Config {
  const flags = parseFlags(argv);
  const raw: Record<string, unknown> = {};
  for (const [name, setting] of Object.entries(SETTINGS) as [SettingName, Settings[SettingName]][]) {
    const fromFlag = flags[name];
    const value = fromFlag ?? env[name] ?? setting.default;
    const parsed = setting.schema.safeParse(value.trim());
    if (!parsed.success) {
      const source = fromFlag === undefined ? name : flagName(name);
      throw new ConfigError(`${source}=${JSON.stringify(value)}: ${parsed.error.issues[0]?.message ?? "invalid value"}`);
    }
    raw[name] = parsed.data;
  }
  const config = raw as RawConfig;
  return { ...config, threads: config.MODEL_N_THREADS === 0 ? defaultThreads() : config.MODEL_N_THREADS };
}
