// The OpenAI protocol: its endpoints, answering errors in OpenAI's shape.
import type { FastifyPluginAsync } from "fastify";
import { useErrorRenderer } from "../../http/protocol-errors.js";
import type { RouteDeps } from "../../http/route-deps.js";
import { chatCompletionsRoute } from "./chat-completions/route.js";
import { completionsRoute } from "./completions/route.js";
import { openaiError } from "./errors.js";

export const OPENAI_ENDPOINTS = ["POST /v1/chat/completions", "POST /v1/completions"];

export const openaiPlugin: FastifyPluginAsync<RouteDeps> = async (app, deps) => {
  useErrorRenderer(app, openaiError);
  await app.register(chatCompletionsRoute, deps);
  await app.register(completionsRoute, deps);
};
