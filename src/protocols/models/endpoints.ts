// GET /v1/models and /v1/models/{id}, paths the OpenAI, Anthropic and Gemini APIs share: answered in the shape of the
// client's protocol (Gemini's when it sent x-goog-api-key).
import { z } from "zod";
import { GatewayError } from "../../core/gateway-error.js";
import { renderAnthropicModel, renderAnthropicModelPage } from "../anthropic/models/render.js";
import { findGeminiModel, renderGeminiModelPage } from "../gemini/models/render.js";
import { modelField } from "../bounded-fields.js";
import { defineEndpoint } from "../endpoint.js";
import { modelPageQuery } from "../gemini/models/endpoints.js";
import { renderModel, renderModelList } from "../openai/models/render.js";

const listQuery = z.looseObject({
  limit: z.coerce.number().int().min(1).max(1000).default(20),
  before_id: z.string().max(1000).optional(),
  after_id: z.string().max(1000).optional(),
  ...modelPageQuery.shape,
});

export const modelListEndpoint = defineEndpoint({
  name: "models",
  protocol: "by-client",
  method: "GET",
  paths: ["/v1/models"],
  query: listQuery,
  answer: ({ protocol, query }) => ({
    type: "models",
    render(models) {
      if (protocol === "openai") return renderModelList(models);
      if (protocol === "gemini") return renderGeminiModelPage(models, query);
      return renderAnthropicModelPage(models, {
        limit: query.limit,
        ...(query.before_id === undefined ? {} : { beforeId: query.before_id }),
        ...(query.after_id === undefined ? {} : { afterId: query.after_id }),
      });
    },
  }),
});

export const modelEndpoint = defineEndpoint({
  name: "model",
  protocol: "by-client",
  method: "GET",
  paths: ["/v1/models/:id"],
  params: z.object({ id: modelField }),
  answer: ({ protocol, params }) => ({
    type: "models",
    render(models) {
      if (protocol === "gemini") return findGeminiModel(models, params.id);
      const model = models.find((m) => m.id === params.id);
      if (model === undefined) throw new GatewayError("not_found", `The model '${params.id}' does not exist.`, { param: "model" });
      return protocol === "openai" ? renderModel(model) : renderAnthropicModel(model);
    },
  }),
});
