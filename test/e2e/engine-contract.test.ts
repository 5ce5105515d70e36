// The engine contract (test/engine-contract.ts) against every engine: the scripted one the HTTP tests use, the llama
// engine on the fixture model, one loaded on demand, an upstream (another LALS over HTTP) and a fallback around one.
import { after } from "node:test";
import type { FastifyInstance } from "fastify";
import { pino } from "pino";
import { loadConfig } from "../../src/config.js";
import { FallbackEngine } from "../../src/engines/fallback-engine.js";
import { LlamaEngine } from "../../src/engines/llama/llama-engine.js";
import { MemoryBudget } from "../../src/engines/llama/memory-budget.js";
import { OnDemandEngine } from "../../src/engines/llama/on-demand-engine.js";
import { Router } from "../../src/engines/router.js";
import { UpstreamEngine } from "../../src/engines/upstream/upstream-engine.js";
import { PROTOCOL_CLIENTS } from "../../src/protocols/clients.js";
import { buildServer } from "../../src/server.js";
import { engineContract } from "../engine-contract.js";
import { ScriptedEngine } from "../scripted-engine.js";
import { fixtureModel } from "./harness.js";

const log = pino({ level: "silent" });
const slowScript = { inputTokens: 3, deltas: Array.from({ length: 400 }, () => "x"), delayMs: 5 };
const closers: Array<() => Promise<unknown>> = [];
after(async () => {
  for (const close of closers) await close();
});

/** Made once, on first use, and closed after the suite. */
function once<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () => (made ??= make());
}

const llamaOptions = async (alias: string) => ({ source: { uri: await fixtureModel(), cacheDir: "" }, alias, log, contextSize: 2048, threads: 1, parallel: 2 });

const llama = once(async () => {
  const engine = new LlamaEngine(await llamaOptions("local"));
  await engine.load();
  closers.push(() => engine.dispose());
  return engine;
});

const onDemand = once(async () => {
  const engine = new OnDemandEngine({ engine: await llamaOptions("on-demand"), budget: new MemoryBudget(8 * 2 ** 30), idleTtlMs: 0, log });
  closers.push(() => engine.unload());
  return engine;
});

/** Another LALS, in process on a loopback port, serving a slow scripted reply. */
const replica = once(async () => {
  const app: FastifyInstance = await buildServer(loadConfig([], {}), new Router([new ScriptedEngine("m", slowScript)]));
  await app.listen({ host: "127.0.0.1", port: 0 });
  closers.push(() => app.close());
  const address = app.server.address();
  return `http://127.0.0.1:${typeof address === "object" && address !== null ? address.port : 0}/v1`;
});

const upstream = async (id: string, baseUrl: string) =>
  new UpstreamEngine({ id, protocol: PROTOCOL_CLIENTS.openai, model: "m", replicas: [{ baseUrl }], healthCheckMs: 0, log });

engineContract("the scripted engine", async () => ({ engine: new ScriptedEngine("m", slowScript), model: "m", longMaxTokens: 400 }));
engineContract("the llama engine", async () => ({ engine: await llama(), model: "local", longMaxTokens: 1500 }));
engineContract("the on-demand llama engine", async () => ({ engine: await onDemand(), model: "on-demand", longMaxTokens: 1500 }));
engineContract("the upstream engine", async () => ({ engine: await upstream("fleet", await replica()), model: "fleet", longMaxTokens: 400 }));
engineContract("the fallback engine (its upstream unreachable)", async () => ({
  engine: new FallbackEngine(await upstream("flaky", "http://127.0.0.1:9/v1"), new ScriptedEngine("m", slowScript)),
  model: "flaky",
  longMaxTokens: 400,
}));
