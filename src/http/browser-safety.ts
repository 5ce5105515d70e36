// Keeps web pages away from LALS. Any page can make a browser send a "simple" request (a text/plain POST needs no
// preflight) to a local port, and with DNS rebinding read the answer too (Ollama's CVE-2024-28224), so:
//  - the Host header must name this server: a loopback name, an IP address, HOST, or one of ALLOWED_HOSTS. A rebound
//    page's requests carry its own domain name as Host, so they are refused; an IP address can't be rebound.
//  - a request carrying an Origin must come from this server's own pages (Origin's host equal to Host) or from one of
//    ALLOWED_ORIGINS, whatever its method or content type; the allowed ones get CORS headers, their preflights an answer.
// Refusals are 403s in the protocol's shape, before keys, rate limits or the body are looked at.
import { isIP } from "node:net";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { GatewayError } from "../core/gateway-error.js";
import { noteRejection } from "./rejections.js";

export interface BrowserSafetyOptions {
  /** Origins (`https://app.example:3000`) allowed besides the server's own; `*` allows any. */
  allowedOrigins: readonly string[];
  /** Host names allowed besides loopback names and IP addresses; `*` allows any. */
  allowedHosts: readonly string[];
  /** The address the server binds (HOST), allowed as a Host name. */
  boundHost: string;
}

/** `a, b ,c` → `["a", "b", "c"]`, lower-cased, without trailing slashes. */
export function parseList(value: string): string[] {
  return value.split(",").map((item) => item.trim().toLowerCase().replace(/\/+$/, "")).filter((item) => item !== "");
}

const PREFLIGHT_MAX_AGE_SECONDS = 600;
const METHODS = "GET, POST, DELETE, OPTIONS";

/** The host name of a Host header (`[::1]:8000` → `::1`), or undefined if it is not one. */
export function hostName(host: string): string | undefined {
  try {
    const name = new URL(`http://${host}`).hostname.replace(/\.$/, "");
    return name.startsWith("[") ? name.slice(1, -1) : name;
  } catch {
    return undefined;
  }
}

/** Whether a Host header names this server. A request without one (HTTP/1.0) was not sent by a browser. */
export function isAllowedHost(host: string | undefined, options: Pick<BrowserSafetyOptions, "allowedHosts" | "boundHost">): boolean {
  if (host === undefined || options.allowedHosts.includes("*")) return true;
  const name = hostName(host);
  if (name === undefined) return false;
  return name === "localhost" || name.endsWith(".localhost") || isIP(name) !== 0
    || name === options.boundHost.toLowerCase() || options.allowedHosts.includes(name);
}

/** Whether `origin` is the server's own: same host and port as the Host header the browser sent with it. */
export function isSameOrigin(origin: string, host: string | undefined): boolean {
  if (host === undefined) return false;
  try {
    const url = new URL(origin);
    return url.host === new URL(`${url.protocol}//${host}`).host;
  } catch {
    return false;
  }
}

/** Whether a request with this Origin may be answered, and whether it needs CORS headers to read the answer. */
export function originVerdict(origin: string, host: string | undefined, allowedOrigins: readonly string[]): "same" | "cross" | "refused" {
  if (isSameOrigin(origin, host)) return "same";
  return allowedOrigins.includes("*") || allowedOrigins.includes(origin.toLowerCase().replace(/\/+$/, "")) ? "cross" : "refused";
}

function allowCrossOrigin(reply: FastifyReply, origin: string): void {
  void reply.header("access-control-allow-origin", origin);
  void reply.header("access-control-expose-headers", "*");
  void reply.header("vary", "origin");
}

function answerPreflight(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const requested = request.headers["access-control-request-headers"];
  void reply.header("access-control-allow-methods", METHODS);
  if (typeof requested === "string") void reply.header("access-control-allow-headers", requested);
  void reply.header("access-control-max-age", String(PREFLIGHT_MAX_AGE_SECONDS));
  void reply.header("vary", "origin, access-control-request-method, access-control-request-headers");
  return reply.code(204).send();
}

export function browserSafety(app: FastifyInstance, options: BrowserSafetyOptions): void {
  app.addHook("onRequest", async (request, reply) => {
    const host = request.headers.host;
    if (!isAllowedHost(host, options)) {
      noteRejection(request, "forbidden_host", { host });
      throw new GatewayError("permission", `Host ${JSON.stringify(host)} does not name this server; add it to ALLOWED_HOSTS to allow it.`);
    }
    const origin = request.headers.origin;
    if (origin === undefined) return;
    const verdict = originVerdict(origin, host, options.allowedOrigins);
    if (verdict === "refused") {
      noteRejection(request, "forbidden_origin", { origin });
      throw new GatewayError("permission", `Requests from web pages at ${origin} are not allowed; add the origin to ALLOWED_ORIGINS to allow it.`);
    }
    if (verdict === "cross") allowCrossOrigin(reply, origin);
    if (request.method === "OPTIONS" && request.headers["access-control-request-method"] !== undefined) return answerPreflight(request, reply);
  });
}
