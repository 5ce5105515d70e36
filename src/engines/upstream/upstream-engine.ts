// An engine that forwards canonical requests to servers of any protocol LALS speaks (vLLM, llama-server, Ollama,
// the vendors, another LALS, …):
// replicas chosen by fewest requests in flight, the next one tried on a connection failure, a timeout, a redirect or a
// 5xx before the first byte, the answer streamed back as canonical events without buffering, and the client's signal
// passed on. An upstream is not trusted further than its limits (upstream-limits.ts), and errors name the model, never
// a replica's address.
import type { Logger } from "pino";
import { cancellationOf } from "../../core/cancel-cause.js";
import type { ChatEvent } from "../../core/chat-event.js";
import type { ChatRequest } from "../../core/chat-request.js";
import { GatewayError } from "../../core/gateway-error.js";
import type { ProtocolClient } from "../../core/protocol-client.js";
import { LineTooLongError, readJsonLines } from "../../core/read-ndjson.js";
import { readEvents } from "../../core/read-sse.js";
import { admitOnStart, type GenerationStream } from "../../core/generation-stream.js";
import type { Engine, EngineHealth, EngineOccupancy, GenerateOptions, ModelInfo } from "../engine.js";
import { capEventSize, EventTooLargeError, readCappedText } from "./capped-body.js";
import { Deadline } from "./deadline.js";
import { orderReplicas, type Balance, type BalancedReplica } from "./replica-order.js";
import { DEFAULT_UPSTREAM_LIMITS, type UpstreamLimits } from "./upstream-limits.js";

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
  /** The client half of the protocol it speaks (protocols/clients.ts lists them). */
  protocol: ProtocolClient;
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

/** A replica's streaming answer, or word to try the next one, with the error to report if none answers (undefined: keep the last). */
type Answer = { body: ReadableStream<Uint8Array> } | { next: GatewayError | undefined };

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
    const protocol = this.options.protocol;
    await Promise.all(this.replicas.map(async (replica) => {
      const healthy = await fetch(`${replica.baseUrl}${protocol.healthPath ?? "/models"}`, { headers: protocol.headers(replica.apiKey), redirect: "manual", signal: AbortSignal.timeout(Math.min(every, 5000)) })
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

  /** Admitted once a replica answers with its first event; a group needs nothing more here, since no slots are held. */
  generate(request: ChatRequest, signal: AbortSignal, _options: GenerateOptions): GenerationStream {
    return admitOnStart(this.events(request, signal));
  }

  /** The first replica's answer that is not a failure worth trying the next one for. */
  private async *events(request: ChatRequest, signal: AbortSignal): AsyncGenerator<ChatEvent> {
    const { id, log } = this.options;
    const { maxConcurrentPerReplica } = this.limits;
    const replicas = orderReplicas(this.replicas, this.options.balance ?? "least-in-flight", Date.now())
      .filter((r) => r.inFlight < maxConcurrentPerReplica);
    if (replicas.length === 0) {
      log.warn({ model: id, reason: "upstream_at_capacity", limit: maxConcurrentPerReplica }, "request rejected");
      throw new GatewayError("overloaded", `Every upstream replica of '${id}' is serving its limit of ${maxConcurrentPerReplica} requests. Retry shortly.`, { retryAfter: 1 });
    }
    const body = JSON.stringify(this.options.protocol.body(request, this.options.model));
    let lastError: GatewayError = new GatewayError("unavailable", `No upstream replica of '${id}' is reachable.`, { retryAfter: 5 });
    for (const replica of replicas) {
      replica.inFlight++;
      const deadline = new Deadline();
      try {
        const answer = await this.ask(replica, body, signal, deadline);
        if ("next" in answer) {
          lastError = answer.next ?? lastError;
          continue;
        }
        replica.downUntil = 0;
        yield* this.read(answer.body, signal, deadline);
        return;
      } finally {
        deadline.disarm();
        replica.inFlight--;
      }
    }
    throw lastError;
  }

  /**
   * Sends the request to `replica`: its streaming answer, or word to try the next replica (unreachable, silent, a
   * redirect, a 5xx), with the error to report if none answers. Throws the refusal of a 4xx, and the cancellation
   * when `signal` aborts.
   */
  private async ask(replica: ReplicaState, body: string, signal: AbortSignal, deadline: Deadline): Promise<Answer> {
    const { id, log } = this.options;
    const { firstByteTimeoutMs, idleTimeoutMs, maxErrorBodyBytes } = this.limits;
    const protocol = this.options.protocol;
    let response: Response;
    try {
      deadline.arm(firstByteTimeoutMs, this.silent(firstByteTimeoutMs, "did not answer"));
      const path = typeof protocol.path === "string" ? protocol.path : protocol.path(encodeURIComponent(this.options.model));
      response = await fetch(`${replica.baseUrl}${path}`, {
        method: "POST",
        headers: { "content-type": "application/json", ...protocol.headers(replica.apiKey) },
        body,
        redirect: "manual",
        signal: AbortSignal.any([signal, deadline.signal]),
      });
    } catch (error) {
      if (signal.aborted) throw cancellationOf(signal);
      replica.downUntil = Date.now() + (this.options.cooldownMs ?? 10_000);
      log.warn({ model: id, replica: replica.baseUrl, err: error }, "upstream replica unreachable; trying the next");
      return { next: deadline.signal.aborted ? deadline.signal.reason as GatewayError : undefined };
    }
    // From here on, silence is measured between reads of the answer, never while our own consumer is busy.
    deadline.arm(idleTimeoutMs, this.silent(idleTimeoutMs, "went silent"));
    const redirect = response.status >= 300 && response.status < 400;
    const errorBody = (): Promise<string> => readCappedText(response.body, maxErrorBodyBytes).catch(() => "");
    if (response.status >= 500 || redirect) {
      log.warn({ model: id, replica: replica.baseUrl, status: response.status }, "upstream replica failed; trying the next");
      const text = await errorBody();
      return {
        next: redirect
          ? new GatewayError("upstream", `The upstream of '${id}' answered with a redirect (HTTP ${response.status}), which LALS does not follow.`)
          : upstreamError(id, response.status, text, response.headers.get("retry-after")),
      };
    }
    if (!response.ok || response.body === null) throw upstreamError(id, response.status, await errorBody(), response.headers.get("retry-after"));
    return { body: response.body };
  }

  /**
   * The answer as canonical events. Aborted before its first event, it throws the cancellation; after, the stream
   * ends with the cancellation's error event when the client is told of it, and simply stops when not.
   */
  private async *read(body: ReadableStream<Uint8Array>, signal: AbortSignal, deadline: Deadline): AsyncGenerator<ChatEvent> {
    const { id } = this.options;
    const { idleTimeoutMs, maxEventBytes } = this.limits;
    const parser = this.options.protocol.parser();
    let started = false;
    try {
      const data = this.options.protocol.framing === "ndjson"
        ? readJsonLines(body, maxEventBytes)
        : mapAsync(readEvents(body.pipeThrough(capEventSize(maxEventBytes))), (event) => event.data);
      for await (const datum of data) {
        deadline.disarm();
        for (const parsed of parser.feed(JSON.parse(datum))) {
          started = true;
          yield parsed;
        }
        deadline.arm(idleTimeoutMs, this.silent(idleTimeoutMs, "went silent"));
      }
    } catch (error) {
      if (signal.aborted) {
        const cancelled = cancellationOf(signal);
        if (!started) throw cancelled;
        if (cancelled.reported) yield { type: "error", error: cancelled };
        return;
      }
      if (error instanceof GatewayError) throw error;
      if (deadline.signal.aborted) throw deadline.signal.reason;
      if (error instanceof EventTooLargeError) throw new GatewayError("upstream", `The upstream of '${id}' sent an event over ${error.maxBytes} bytes.`);
      if (error instanceof LineTooLongError) throw new GatewayError("upstream", `The upstream of '${id}' sent a line over ${error.maxChars} characters.`);
      throw new GatewayError("upstream", `The upstream of '${id}' broke off the answer.`, { cause: error });
    }
    yield* parser.finish();
  }

  /** The error of an upstream silent for `ms`, made when the deadline runs out. */
  private silent(ms: number, what: string): () => GatewayError {
    return () => new GatewayError("upstream", `The upstream of '${this.options.id}' ${what} for ${ms / 1000} s.`);
  }
}

async function* mapAsync<T, U>(items: AsyncIterable<T>, map: (item: T) => U): AsyncGenerator<U> {
  for await (const item of items) yield map(item);
}
