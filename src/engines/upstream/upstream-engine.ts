// An engine that forwards canonical requests to OpenAI- or Anthropic-compatible servers (vLLM, llama-server, Ollama,
// the vendors, another LALS, …):
// replicas chosen by fewest requests in flight, the next one tried on a connection failure, a timeout, a redirect or a
// 5xx before the first byte, the answer streamed back as canonical events without buffering, and the client's signal
// passed on. An upstream is not trusted further than its limits (upstream-limits.ts), and errors name the model, never
// a replica's address.
import type { Logger } from "pino";
import type { ChatEvent } from "../../core/chat-event.js";
import type { ChatRequest } from "../../core/chat-request.js";
import { GatewayError } from "../../core/gateway-error.js";
import { readEvents } from "../../core/read-sse.js";
import type { Engine, EngineHealth, EngineOccupancy, ModelInfo } from "../engine.js";
import { capEventSize, EventTooLargeError, readCappedText } from "./capped-body.js";
import { Deadline } from "./deadline.js";
import { orderReplicas, type Balance, type BalancedReplica } from "./replica-order.js";
import { DEFAULT_UPSTREAM_LIMITS, type UpstreamLimits } from "./upstream-limits.js";
import { PROTOCOL_CLIENTS, type ProtocolClientName } from "../../protocols/clients.js";

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
  protocol: ProtocolClientName;
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
  /** Overrides of DEFAULT_UPSTREAM_LIMITS. */
  limits?: Partial<UpstreamLimits>;
}

type ReplicaState = Replica & BalancedReplica;

/** An upstream's error answer → the GatewayError a client of either protocol understands. */
function upstreamError(model: string, status: number, body: string, retryAfter: string | null): GatewayError {
  let message = body;
  try {
    const parsed = JSON.parse(body) as { error?: { message?: string } | string; message?: string };
    message = (typeof parsed.error === "string" ? parsed.error : parsed.error?.message) ?? parsed.message ?? message;
  } catch { /* not JSON: the text itself */ }
  const text = `The upstream of '${model}' answered: ${message.slice(0, 500)}`;
  if (status === 400 || status === 422) return new GatewayError("invalid_request", text);
  if (status === 404) return new GatewayError("not_found", text, { param: "model" });
  if (status === 413) return new GatewayError("request_too_large", text);
  if (status === 429) return new GatewayError("rate_limit", text, { retryAfter: Number(retryAfter ?? 1) || 1 });
  return new GatewayError("upstream", `${text} (HTTP ${status})`);
}

export class UpstreamEngine implements Engine {
  private readonly replicas: ReplicaState[];
  private readonly created = Math.floor(Date.now() / 1000);
  private readonly limits: UpstreamLimits;

  constructor(private readonly options: UpstreamOptions) {
    this.limits = { ...DEFAULT_UPSTREAM_LIMITS, ...options.limits };
    this.replicas = options.replicas.map((r) => ({ ...r, baseUrl: r.baseUrl.replace(/\/+$/, ""), weight: r.weight ?? 1, inFlight: 0, downUntil: 0, currentWeight: 0 }));
    const every = options.healthCheckMs ?? 0;
    if (every > 0) setInterval(() => void this.probe(every), every).unref();
  }

  /** Marks each replica up or down by whether it answers its model list. */
  private async probe(every: number): Promise<void> {
    const protocol = PROTOCOL_CLIENTS[this.options.protocol];
    await Promise.all(this.replicas.map(async (replica) => {
      const healthy = await fetch(`${replica.baseUrl}/models`, { headers: protocol.headers(replica.apiKey), redirect: "manual", signal: AbortSignal.timeout(Math.min(every, 5000)) })
        .then(async (r) => {
          await r.body?.cancel();
          return r.ok;
        }, () => false);
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
    const { id, log } = this.options;
    const limits = this.limits;
    const protocol = PROTOCOL_CLIENTS[this.options.protocol];
    const body = JSON.stringify(protocol.body(request, this.options.model));
    const replicas = orderReplicas(this.replicas, this.options.balance ?? "least-in-flight", Date.now())
      .filter((r) => r.inFlight < limits.maxConcurrentPerReplica);
    if (replicas.length === 0) {
      log.warn({ model: id, reason: "upstream_at_capacity", limit: limits.maxConcurrentPerReplica }, "request rejected");
      throw new GatewayError("overloaded", `Every upstream replica of '${id}' is serving its limit of ${limits.maxConcurrentPerReplica} requests. Retry shortly.`, { retryAfter: 1 });
    }
    const silent = (ms: number, what: string) => (): GatewayError => new GatewayError("upstream", `The upstream of '${id}' ${what} for ${ms / 1000} s.`);
    let lastError: GatewayError = new GatewayError("unavailable", `No upstream replica of '${id}' is reachable.`, { retryAfter: 5 });
    for (const replica of replicas) {
      replica.inFlight++;
      const deadline = new Deadline();
      try {
        let response: Response;
        try {
          deadline.arm(limits.firstByteTimeoutMs, silent(limits.firstByteTimeoutMs, "did not answer"));
          response = await fetch(`${replica.baseUrl}${protocol.path}`, {
            method: "POST",
            headers: { "content-type": "application/json", ...protocol.headers(replica.apiKey) },
            body,
            redirect: "manual",
            signal: AbortSignal.any([signal, deadline.signal]),
          });
        } catch (error) {
          if (signal.aborted) throw signal.reason;
          replica.downUntil = Date.now() + (this.options.cooldownMs ?? 10_000);
          if (deadline.signal.aborted) lastError = deadline.signal.reason as GatewayError;
          log.warn({ model: id, replica: replica.baseUrl, err: error }, "upstream replica unreachable; trying the next");
          continue;
        }
        // From here on, silence is measured between reads of the answer, never while our own consumer is busy.
        deadline.arm(limits.idleTimeoutMs, silent(limits.idleTimeoutMs, "went silent"));
        const redirect = response.status >= 300 && response.status < 400;
        const errorBody = (): Promise<string> => readCappedText(response.body, limits.maxErrorBodyBytes).catch(() => "");
        if (response.status >= 500 || redirect) {
          const text = await errorBody();
          lastError = redirect
            ? new GatewayError("upstream", `The upstream of '${id}' answered with a redirect (HTTP ${response.status}), which LALS does not follow.`)
            : upstreamError(id, response.status, text, response.headers.get("retry-after"));
          log.warn({ model: id, replica: replica.baseUrl, status: response.status }, "upstream replica failed; trying the next");
          continue;
        }
        if (!response.ok || response.body === null) {
          throw upstreamError(id, response.status, await errorBody(), response.headers.get("retry-after"));
        }
        replica.downUntil = 0;
        const parser = protocol.parser();
        try {
          for await (const event of readEvents(response.body.pipeThrough(capEventSize(limits.maxEventBytes)))) {
            deadline.disarm();
            yield* parser.feed(JSON.parse(event.data));
            deadline.arm(limits.idleTimeoutMs, silent(limits.idleTimeoutMs, "went silent"));
          }
        } catch (error) {
          if (error instanceof GatewayError || signal.aborted) throw error;
          if (deadline.signal.aborted) throw deadline.signal.reason;
          if (error instanceof EventTooLargeError) throw new GatewayError("upstream", `The upstream of '${id}' sent an event over ${error.maxBytes} bytes.`);
          throw new GatewayError("upstream", `The upstream of '${id}' broke off the answer.`, { cause: error });
        }
        yield* parser.finish();
        return;
      } finally {
        deadline.disarm();
        replica.inFlight--;
      }
    }
    throw lastError;
  }
}
