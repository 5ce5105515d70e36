// One log line per request (id, protocol, endpoint, model, status, tokens, TTFT, duration, cache) and Prometheus
// metrics at GET /metrics, from one onResponse hook; refusals are counted by the reason noted for them (rejections.ts),
// and so are connections Node itself refuses. Prompt text is never logged.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import { quoted } from "../core/quoted.js";
import type { ModelInfo, PromptCacheStats } from "../engines/engine.js";
import type { Router } from "../engines/router.js";

/** The status nginx logs for a client that closed the connection before the answer was complete. */
const CLIENT_CLOSED = 499;

export function observe(app: FastifyInstance, router: Router): void {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "lals_process_" });
  const labelNames = ["protocol", "endpoint", "status"] as const;
  const requests = new Counter({ name: "lals_requests_total", help: "Requests answered", labelNames, registers: [registry] });
  const tokens = new Counter({ name: "lals_tokens_total", help: "Tokens processed", labelNames: ["protocol", "direction"] as const, registers: [registry] });
  const duration = new Histogram({
    name: "lals_request_duration_seconds", help: "Time to the end of the response", labelNames: ["protocol", "endpoint"] as const,
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120], registers: [registry],
  });
  const ttft = new Histogram({
    name: "lals_time_to_first_token_seconds", help: "Time to the first generated content", labelNames: ["protocol", "endpoint"] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers: [registry],
  });
  const cacheHits = new Counter({ name: "lals_cache_hits_total", help: "Responses served from the response cache", registers: [registry] });
  const rejections = new Counter({ name: "lals_rejections_total", help: "Requests and connections refused, by reason", labelNames: ["reason"] as const, registers: [registry] });
  countRefusedConnections(app, (reason) => rejections.inc({ reason }));
  const ignoredFields = new Counter({ name: "lals_ignored_fields_total", help: "Request fields accepted but not honoured, by field", labelNames: ["field"] as const, registers: [registry] });
  new Gauge({ name: "lals_slots_busy", help: "Slots generating now", registers: [registry], collect() { this.set(router.occupancy().busySlots); } });
  new Gauge({ name: "lals_slots_total", help: "Slots", registers: [registry], collect() { this.set(router.occupancy().slots); } });
  new Gauge({ name: "lals_queue_depth", help: "Requests waiting for a slot", registers: [registry], collect() { this.set(router.occupancy().queued); } });
  const servedModels = () => router.models().filter((m) => m.aliasOf === undefined);
  new Gauge({
    name: "lals_model_loaded", help: "Whether each model is in memory (models loaded on demand come and go)", labelNames: ["model"] as const, registers: [registry],
    collect() { for (const m of servedModels()) this.set({ model: m.id }, m.loaded === false ? 0 : 1); },
  });
  new Gauge({
    name: "lals_model_memory_bytes", help: "Memory each loaded local model holds (weights and context, as estimated)", labelNames: ["model"] as const, registers: [registry],
    collect() { for (const m of servedModels()) if (m.memoryBytes !== undefined) this.set({ model: m.id }, m.memoryBytes); },
  });
  new Gauge({
    name: "lals_prompt_cache_bytes", help: "Disk held by each model's prompt cache (slot states saved before another conversation took the slot)", labelNames: ["model"] as const, registers: [registry],
    collect() {
      this.reset(); // a model unloaded since has no cache
      for (const m of servedModels()) if (m.promptCache !== undefined) this.set({ model: m.id }, m.promptCache.bytes);
    },
  });
  promptCacheCounter(registry, servedModels, "lals_prompt_cache_saves_total", "Slot states saved to the prompt cache", (s) => s.saves);
  promptCacheCounter(registry, servedModels, "lals_prompt_cache_loads_total", "Saved states loaded back into a slot (prompts not read again)", (s) => s.loads);
  new Gauge({
    name: "lals_model_slots", help: "Slots of each model (0 while not loaded)", labelNames: ["model"] as const, registers: [registry],
    collect() { for (const m of servedModels()) this.set({ model: m.id }, router.resolve(m.id).occupancy().slots); },
  });

  const record = (request: FastifyRequest, reply: FastifyReply, status: number): void => {
    const context = request.lals;
    if (context.recorded) return;
    context.recorded = true;
    const endpoint = request.routeOptions.url ?? "unknown";
    const protocol = context.protocol ?? "none";
    const stats = context.stats;
    const model = typeof (request.body as { model?: unknown } | undefined)?.model === "string" ? (request.body as { model: string }).model : undefined;
    requests.inc({ protocol, endpoint, status: String(status) });
    if (context.rejection !== undefined) rejections.inc({ reason: context.rejection });
    for (const field of context.ignoredFields) ignoredFields.inc({ field });
    duration.observe({ protocol, endpoint }, reply.elapsedTime / 1000);
    if (stats !== undefined) {
      tokens.inc({ protocol, direction: "input" }, stats.inputTokens);
      tokens.inc({ protocol, direction: "output" }, stats.outputTokens);
      if (stats.ttftMs !== undefined) ttft.observe({ protocol, endpoint }, stats.ttftMs / 1000);
      if (stats.cache === "hit") cacheHits.inc();
    }
    request.log.info({
      protocol,
      endpoint: `${request.method} ${endpoint}`,
      ...(model === undefined ? {} : { model: quoted(model) }),
      ...(context.servedBy === undefined ? {} : { servedBy: context.servedBy }),
      status,
      ...(stats === undefined ? {} : {
        inputTokens: stats.inputTokens,
        cachedTokens: stats.cachedTokens,
        outputTokens: stats.outputTokens,
        ...(stats.ttftMs === undefined ? {} : { ttftMs: Math.round(stats.ttftMs) }),
        ...(stats.cache === undefined ? {} : { cache: stats.cache }),
      }),
      durationMs: Math.round(reply.elapsedTime),
    }, "request");
  };

  app.addHook("onResponse", async (request, reply) => record(request, reply, reply.statusCode));
  // fastify runs onResponse only for finished responses; a client that leaves mid-answer is recorded as 499, as nginx does.
  app.addHook("onRequest", async (request, reply) => {
    // Each concern watching the answer's end (this record, cancellation, slot release, write stalls, connection and
    // rate limits, fastify's own) adds one listener: a generation has a dozen, bounded, not a leak.
    reply.raw.setMaxListeners(32);
    reply.raw.once("close", () => {
      if (!reply.raw.writableFinished) setImmediate(() => record(request, reply, CLIENT_CLOSED));
    });
  });

  app.get("/metrics", async (_request, reply) => reply.header("content-type", registry.contentType).send(await registry.metrics()));
}

/** Node answers a request that took too long to arrive (408) or was malformed, and drops connections past maxConnections, before fastify sees a request. */
function countRefusedConnections(app: FastifyInstance, count: (reason: string) => void): void {
  app.server.on("clientError", (error: NodeJS.ErrnoException) => {
    if (error.code === "ECONNRESET") return;
    const reason = error.code === "ERR_HTTP_REQUEST_TIMEOUT" ? "request_timeout" : error.code === "HPE_HEADER_OVERFLOW" ? "headers_too_large" : "malformed_http";
    count(reason);
    app.log.warn({ reason, code: error.code }, "connection rejected");
  });
  app.server.on("drop", () => {
    count("too_many_connections");
    app.log.warn({ reason: "too_many_connections" }, "connection rejected");
  });
}

/** A count kept by each model's prompt cache, which starts again from 0 when an on-demand model is loaded again. */
function promptCacheCounter(registry: Registry, models: () => ModelInfo[], name: string, help: string, value: (stats: PromptCacheStats) => number): void {
  const seen = new Map<string, { since: number; count: number }>();
  new Counter({
    name, help, labelNames: ["model"] as const, registers: [registry],
    collect() {
      for (const m of models()) {
        if (m.promptCache === undefined) continue;
        const count = value(m.promptCache);
        const before = seen.get(m.id);
        const delta = before?.since === m.promptCache.since ? count - before.count : count;
        if (delta > 0) this.inc({ model: m.id }, delta);
        seen.set(m.id, { since: m.promptCache.since, count });
      }
    },
  });
}
