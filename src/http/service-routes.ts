// GET / (what this server is) and GET /health (ready or not, and why).
import type { FastifyPluginAsync } from "fastify";
import type { RouteDeps } from "./route-deps.js";

export interface ServiceInfo {
  name: string;
  version: string;
  protocols: Record<string, boolean>;
  endpoints: string[];
}

export const serviceRoutes: FastifyPluginAsync<RouteDeps & { info: ServiceInfo }> = async (app, { router, info }) => {
  app.get("/", async () => ({
    ...info,
    models: router.models().map((m) => m.id),
    status: router.health().ready ? "ready" : "loading",
  }));
  app.get("/health", async (_request, reply) => {
    const health = router.health();
    if (health.ready) return { status: "ok" };
    return reply.status(503).send({ status: "unavailable", reason: health.reason });
  });
};
