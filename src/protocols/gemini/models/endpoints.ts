// GET /v1beta/models and /v1beta/models/{model}. Under /v1 these paths are the shared ones (protocols/models/), which
// answer a Gemini client with the same renderers.
import { z } from "zod";
import { modelField } from "../../bounded-fields.js";
import { defineEndpoint } from "../../endpoint.js";
import { DEFAULT_PAGE_SIZE, findGeminiModel, renderGeminiModelPage } from "./render.js";

/** Gemini's bounds: pages of 1 to 1,000 models. */
export const modelPageQuery = z.looseObject({
  pageSize: z.coerce.number().int().min(1).max(1000).default(DEFAULT_PAGE_SIZE),
  pageToken: z.string().max(64).optional(),
  key: z.string().max(1024).optional(),
});

export const geminiModelListEndpoint = defineEndpoint({
  name: "gemini-models",
  protocol: "gemini",
  method: "GET",
  paths: ["/v1beta/models"],
  query: modelPageQuery,
  answer: ({ query }) => ({ type: "models", render: (models) => renderGeminiModelPage(models, query) }),
});

export const geminiModelEndpoint = defineEndpoint({
  name: "gemini-model",
  protocol: "gemini",
  method: "GET",
  paths: ["/v1beta/models/:model"],
  params: z.object({ model: modelField }),
  answer: ({ params }) => ({ type: "models", render: (models) => findGeminiModel(models, params.model) }),
});
