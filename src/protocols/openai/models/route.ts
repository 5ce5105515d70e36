// GET /v1/models and /v1/models/{id}.
import type { FastifyPluginAsync } from "fastify";
import { GatewayError } from "../../../core/gateway-error.js";
import type { RouteDeps } from "../../../http/route-deps.js";
import { renderModel, renderModelList } from "./render.js";

export const modelsRoute: FastifyPluginAsync<RouteDeps> = async (app, { router }) => {
  app.get("/v1/models", async () => renderModelList(router.models()));
  app.get<{ Params: { id: string } }>("/v1/models/:id", async (request) => {
    const model = router.models().find((m) => m.id === request.params.id);
    if (model === undefined) throw new GatewayError("not_found", `The model '${request.params.id}' does not exist.`, { param: "model" });
    return renderModel(model);
  });
};
