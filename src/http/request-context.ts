// What LALS knows of one request as it passes through the hooks and the endpoint server: one object on the request
// (fastify's decorateRequest), never module-level maps or response headers read back.
import type { FastifyInstance } from "fastify";
import type { Endpoint, Protocol } from "../protocols/endpoint.js";
import type { RequestStats } from "./request-stats.js";

/** Requests on a server without keys belong to one tenant: nothing tells their senders apart. */
export const ANONYMOUS = "anonymous";

export class RequestContext {
  /** The id of the key the request was verified with (a hash, never the key), if keys are configured. */
  keyId: string | undefined;
  /** The endpoint answering it (for /v1/inference, once detected). */
  endpoint: Endpoint | undefined;
  /** The protocol its answer and errors speak. */
  protocol: Protocol | undefined;
  /** Why it was refused, if it was (a short snake_case label, counted in the metrics). */
  rejection: string | undefined;
  /** Fields it sent that were accepted but not honoured. */
  readonly ignoredFields: string[] = [];
  /** The served model that answered it, where it asked for another name (an alias, a vendor's name). */
  servedBy: string | undefined;
  /** What its generations used, once one has started. */
  stats: RequestStats | undefined;
  /** Set under a token rate limit: holds `tokens` of the client's budget until the request ends, or throws rate_limit. */
  reserveTokens: ((tokens: number) => Promise<void>) | undefined;
  /** Whether its log line and metrics have been written. */
  recorded = false;

  /** Notes the served model that answered, where the request asked for another name. */
  noteServedBy(requested: string | undefined, servedId: string): void {
    if (servedId !== requested) this.servedBy = servedId;
  }

  /** Who the request belongs to, for everything kept between requests (caches, stored responses, slots). */
  get partition(): string {
    return this.keyId ?? ANONYMOUS;
  }
}

declare module "fastify" {
  interface FastifyRequest {
    readonly lals: RequestContext;
  }
}

const CONTEXT = Symbol("lals.context");

/** Gives every request its context, made when first asked for, so any hook (however early) can use it. */
export function useRequestContext(app: FastifyInstance): void {
  app.decorateRequest("lals", {
    getter() {
      const request = this as unknown as { [CONTEXT]?: RequestContext };
      return (request[CONTEXT] ??= new RequestContext());
    },
  });
}
