// An engine that forwards canonical requests to OpenAI- or Anthropic-compatible servers (vLLM, llama-server, Ollama,
// the vendors, another LALS, …):
// replicas chosen by fewest requests in flight, the next one tried on a connection failure or a 5xx before the first
// byte, the answer streamed back as canonical events without buffering, and the client's signal passed on.
import type { Logger } from "pino";
import type { ChatEvent } from "../../core/chat-event.js";
import type { ChatRequest } from "../../core/chat-request.js";
import { GatewayError } from "../../core/gateway-error.js";
import { readEvents } from "../../core/read-sse.js";
import type { Engine, EngineHealth, EngineOccupancy, ModelInfo } from "../engine.js";
import { orderReplicas, type Balance, type BalancedReplica } from "./replica-order.js";
import { UPSTREAM_PROTOCOLS, type UpstreamProtocolName } from "./upstream-protocols.js";

export interface Replica {
  /** The server's API base URL, e.g. `http://10.0.0.5:8000/v1`. */
  baseUrl: string;
  apiKey?: string;
  /** Share of requests under weighted round-robin. */
  weight?: number;
}

export interface UpstreamOptions {
  /** The model id LALS serves it as. */
  id: string;
  protocol: UpstreamProtocolName;
  /** The model name the upstream serves. */
  model: string;
  replicas: Replica[];
  contextLength?: number;
  log: Logger;
  /** How long a replica that failed to connect is passed over, in ms. */
  cooldownMs?: number;
  balance?: Balance;
  /** How often each replica's `/models` is probed, in ms; a failing probe takes it out, a passing one brings it back. 0: never. */
  healthCheckMs?: number;
}

type ReplicaState = Replica & BalancedReplica;

/** An upstream's error answer → the GatewayError a client of either protocol understands. */
function upstreamError(status: number, body: string, retryAfter: string | null): GatewayError {
  let message = body.slice(0, 500);
  try {
    const parsed = JSON.parse(body) as { error?: { message?: string } | string; message?: string };
    message = (typeof parsed.error === "string" ? parsed.error : parsed.error?.message) ?? parsed.message ?? message;
  } catch { /* not JSON: the text itself */ }
  const text = `Upstream: ${message}`;
  if (status === 400 || status === 422) return new GatewayError("invalid_request", text);
  if (status === 404) return new GatewayError("not_found", text, { param: "model" });
  if (status === 413) return new GatewayError("request_too_large", text);
  if (status === 429) return new GatewayError("rate_limit", text, { retryAfter: Number(retryAfter ?? 1) || 1 });
  return new GatewayError("upstream", `${text} (HTTP ${status})`);
}

export class UpstreamEngine implements Engine {
  private readonly replicas: ReplicaState[];
  private readonly created = Math.floor(Date.now() / 1000);

  constructor(private readonly options: UpstreamOptions) {
    this.replicas = options.replicas.map((r) => ({ ...r, baseUrl: r.baseUrl.replace(/\/+$/, ""), weight: r.weight ?? 1, inFlight: 0, downUntil: 0, currentWeight: 0 }));
    const every = options.healthCheckMs ?? 0;
    if (every > 0) setInterval(() => void this.probe(every), every).unref();
  }

  /** Marks each replica up or down by whether it answers its model list. */
  private async probe(every: number): Promise<void> {
    const protocol = UPSTREAM_PROTOCOLS[this.options.protocol];
    await Promise.all(this.replicas.map(async (replica) => {
      const healthy = await fetch(`${replica.baseUrl}/models`, { headers: protocol.headers(replica.apiKey), signal: AbortSignal.timeout(Math.min(every, 5000)) })
        .then((r) => r.ok, () => false);
      if (healthy !== (replica.downUntil <= Date.now())) this.options.log.info({ replica: replica.baseUrl, healthy }, "upstream replica health changed");
      replica.downUntil = healthy ? 0 : Date.now() + 2 * every;
    }));
  }

  health(): EngineHealth {
    return { state: "ready" };
  }

  occupancy(): EngineOccupancy {
    return { slots: 0, busySlots: this.replicas.reduce((sum, r) => sum + r.inFlight, 0), queued: 0 };
  }

  models(): ModelInfo[] {
    return [{ id: this.options.id, created: this.created, ownedBy: "upstream", contextLength: this.options.contextLength ?? 0 }];
  }

  async countTokens(): Promise<number> {
    throw new GatewayError("invalid_request", `Exact token counts are not available for '${this.options.id}', which is served by an upstream.`, { param: "model" });
  }

  async *generate(request: ChatRequest, signal: AbortSignal): AsyncGenerator<ChatEvent> {
    const protocol = UPSTREAM_PROTOCOLS[this.options.protocol];
    const body = JSON.stringify(protocol.body(request, this.options.model));
    let lastError: GatewayError = new GatewayError("unavailable", `No upstream replica of '${this.options.id}' is reachable.`, { retryAfter: 5 });
    for (const replica of orderReplicas(this.replicas, this.options.balance ?? "least-in-flight", Date.now())) {
      replica.inFlight++;
      let response: Response;
      try {
        response = await fetch(`${replica.baseUrl}${protocol.path}`, {
          method: "POST",
          headers: { "content-type": "application/json", ...protocol.headers(replica.apiKey) },
          body,
          signal,
        });
      } catch (error) {
        replica.inFlight--;
        if (signal.aborted) throw signal.reason;
        replica.downUntil = Date.now() + (this.options.cooldownMs ?? 10_000);
        this.options.log.warn({ replica: replica.baseUrl, err: error }, "upstream replica unreachable; trying the next");
        continue;
      }
      if (response.status >= 500) {
        replica.inFlight--;
        lastError = upstreamError(response.status, await response.text(), response.headers.get("retry-after"));
        this.options.log.warn({ replica: replica.baseUrl, status: response.status }, "upstream replica failed; trying the next");
        continue;
      }
      try {
        if (!response.ok || response.body === null) throw upstreamError(response.status, await response.text(), response.headers.get("retry-after"));
        replica.downUntil = 0;
        const parser = protocol.parser();
        try {
          for await (const event of readEvents(response.body)) yield* parser.feed(JSON.parse(event.data));
        } catch (error) {
          if (error instanceof GatewayError || signal.aborted) throw error;
          throw new GatewayError("upstream", `Upstream '${replica.baseUrl}' broke off the answer.`, { cause: error });
        }
        yield* parser.finish();
        return;
      } finally {
        replica.inFlight--;
      }
    }
    throw lastError;
  }
}
