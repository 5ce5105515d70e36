// Every request gets an id (the client's x-request-id if it sent a sane one), echoed back in the response headers:
// as x-request-id, and as request-id, where Anthropic's SDK reads it.
import type { FastifyInstance } from "fastify";
import { newId } from "../core/ids.js";

export const REQUEST_ID_HEADER = "x-request-id";

export function generateRequestId(raw: { headers: Record<string, string | string[] | undefined> }): string {
  const given = raw.headers[REQUEST_ID_HEADER];
  return typeof given === "string" && /^[\w.:-]{1,128}$/.test(given) ? given : newId.request();
}

export function echoRequestId(app: FastifyInstance): void {
  app.addHook("onRequest", async (request, reply) => {
    void reply.header(REQUEST_ID_HEADER, request.id);
    void reply.header("request-id", request.id);
  });
}
