// The OpenAI protocol: its endpoints, answering errors in OpenAI's shape.
import type { FastifyPluginAsync } from "fastify";
import { useErrorRenderer } from "../../http/protocol-errors.js";
import { chatCompletionsRoute } from "./chat-completions/route.js";
import { completionsRoute } from "./completions/route.js";
import { openaiError } from "./errors.js";
import { responsesRoute, type ResponsesDeps } from "./responses/route.js";

export const OPENAI_ENDPOINTS = [
  "POST /v1/chat/completions", "POST /v1/completions",
  "POST /v1/responses", "GET /v1/responses/{id}", "DELETE /v1/responses/{id}", "GET /v1/responses/{id}/input_items",
  "POST /v1/responses/{id}/cancel", "POST /v1/responses/input_tokens",
];

export const openaiPlugin: FastifyPluginAsync<ResponsesDeps> = async (app, deps) => {
  useErrorRenderer(app, openaiError);
  await app.register(chatCompletionsRoute, deps);
  await app.register(completionsRoute, deps);
  await app.register(responsesRoute, deps);
};
