// GET / (what this server is, the playground page for a browser, or Ollama's "Ollama is running" for its clients'
// probe) and GET /health (ready or not, and why). With API keys set, a request to / without a valid key learns the
// name, version and health only: the models' slots, queues and prompt-cache activity would tell it what other tenants
// are doing.
import type { FastifyPluginAsync } from "fastify";
import { loadPlaygroundPage } from "./playground/playground-page.js";
import { prefersHtml } from "./playground/prefers-html.js";
import type { RouteDeps } from "./route-deps.js";

export interface ServiceInfo {
  name: string;
  version: string;
  protocols: Record<string, boolean>;
  endpoints: string[];
}

export const serviceRoutes: FastifyPluginAsync<RouteDeps & { info: ServiceInfo; keysRequired: boolean }> = async (app, { router, info, keysRequired }) => {
  const playground = loadPlaygroundPage();
  app.get("/", async (request, reply) => {
    const vary = reply.getHeader("vary");
    void reply.header("vary", vary === undefined ? "accept" : `${String(vary)}, accept`);
    if (/^ollama/i.test(request.headers["user-agent"] ?? "") && info.protocols.ollama === true) {
      return reply.type("text/plain; charset=utf-8").send("Ollama is running");
    }
    if (prefersHtml(request.headers.accept)) {
      return reply
        .header("content-security-policy", playground.contentSecurityPolicy)
        .header("x-content-type-options", "nosniff")
        .header("cache-control", "no-cache")
        .type("text/html; charset=utf-8")
        .send(playground.html);
    }
    const status = router.health().ready ? "ready" : "loading";
    if (keysRequired && request.lals.keyId === undefined) return { name: info.name, version: info.version, status };
    const models = router.models();
    const served = models.filter((m) => m.aliasOf === undefined);
    return {
      ...info,
      models: models.map((m) => m.id),
      // Each served model's state: whether it is in memory, what it holds there, and its slots.
      served: served.map((m) => {
        const { slots, busySlots, queued } = router.resolve(m.id).occupancy();
        const cache = m.promptCache === undefined ? {} : {
          promptCache: { entries: m.promptCache.entries, MiB: Math.round(m.promptCache.bytes / 2 ** 20), saves: m.promptCache.saves, loads: m.promptCache.loads },
        };
        return { id: m.id, loaded: m.loaded ?? true, ...(m.memoryBytes === undefined ? {} : { memoryMiB: Math.round(m.memoryBytes / 2 ** 20) }), slots, busySlots, queued, ...cache };
      }),
      status,
    };
  });
  app.get("/health", async (_request, reply) => {
    const health = router.health();
    if (health.ready) return { status: "ok" };
    return reply.status(503).send({ status: "unavailable", reason: health.reason });
  });
};
