// The Anthropic protocol: its endpoints, answering errors in Anthropic's shape.
import type { FastifyPluginAsync } from "fastify";
import { useErrorRenderer } from "../../http/protocol-errors.js";
import type { RouteDeps } from "../../http/route-deps.js";
import { completeRoute } from "./complete/route.js";
import { countTokensRoute } from "./count-tokens/route.js";
import { anthropicError } from "./errors.js";
import { messagesRoute } from "./messages/route.js";

export const ANTHROPIC_ENDPOINTS = ["POST /v1/messages", "POST /v1/messages/count_tokens", "POST /v1/complete"];

export const anthropicPlugin: FastifyPluginAsync<RouteDeps> = async (app, deps) => {
  useErrorRenderer(app, (error, request) => anthropicError(error, request.id));
  await app.register(messagesRoute, deps);
  await app.register(countTokensRoute, deps);
  await app.register(completeRoute, deps);
};
