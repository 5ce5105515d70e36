// GET /v1/models and /v1/models/{id}, in the shape of the client's protocol.
import type { FastifyPluginAsync } from "fastify";
import { z } from "zod";
import { GatewayError } from "../core/gateway-error.js";
import type { RouteDeps } from "../http/route-deps.js";
import { renderAnthropicModel, renderAnthropicModelPage } from "./anthropic/models/render.js";
import { clientProtocol } from "./client-protocol.js";
import { renderModel, renderModelList } from "./openai/models/render.js";
import { validate } from "./validate.js";

const anthropicListQuery = z.looseObject({
  limit: z.coerce.number().int().min(1).max(1000).default(20),
  before_id: z.string().optional(),
  after_id: z.string().optional(),
});

export const MODELS_ENDPOINTS = ["GET /v1/models", "GET /v1/models/{id}"];

export const modelsRoute: FastifyPluginAsync<RouteDeps> = async (app, { router, config }) => {
  app.get("/v1/models", async (request) => {
    const models = router.models();
    if (clientProtocol(request.headers, config) === "openai") return renderModelList(models);
    const query = validate(anthropicListQuery, request.query ?? {});
    return renderAnthropicModelPage(models, {
      limit: query.limit,
      ...(query.before_id === undefined ? {} : { beforeId: query.before_id }),
      ...(query.after_id === undefined ? {} : { afterId: query.after_id }),
    });
  });
  app.get<{ Params: { id: string } }>("/v1/models/:id", async (request) => {
    const model = router.models().find((m) => m.id === request.params.id);
    if (model === undefined) throw new GatewayError("not_found", `The model '${request.params.id}' does not exist.`, { param: "model" });
    return clientProtocol(request.headers, config) === "openai" ? renderModel(model) : renderAnthropicModel(model);
  });
};
