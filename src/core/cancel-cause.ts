// Why a generation was cancelled: the only value an engine's abort signal carries as its reason. The cause decides
// whether the client is told (shutdown, a stalled reader, a cancelled response) or has left and needs nothing.
import { GatewayError } from "./gateway-error.js";

export type CancelCause =
  /** The client closed the connection: nobody to tell. */
  | { type: "client_gone" }
  /** The client stopped reading what was sent to it. */
  | { type: "client_stalled"; message: string }
  /** The server stopped waiting for in-flight requests at shutdown. */
  | { type: "shutdown" }
  /** Another generation of the same client request failed; its error is the one reported. */
  | { type: "sibling_failed" }
  /** POST /v1/responses/{id}/cancel. */
  | { type: "response_cancelled" };

const TYPES = new Set<string>(["client_gone", "client_stalled", "shutdown", "sibling_failed", "response_cancelled"]);

function isCancelCause(value: unknown): value is CancelCause {
  return typeof value === "object" && value !== null && TYPES.has(String((value as { type?: unknown }).type));
}

/** Aborts `controller` with `cause`: the one way a generation's signal is aborted. */
export function cancelWith(controller: AbortController, cause: CancelCause): void {
  controller.abort(cause);
}

/** The cause an aborted signal carries. A reason that is not one (a caller that broke the contract) counts as the client gone. */
export function causeOf(signal: AbortSignal): CancelCause {
  return isCancelCause(signal.reason) ? signal.reason : { type: "client_gone" };
}

/** A generation ended by a cancellation: a GatewayError whose `cancelCause` says why. */
export class Cancelled extends GatewayError {
  readonly cancelCause: CancelCause;

  constructor(cause: CancelCause) {
    super(KIND_AND_MESSAGE[cause.type].kind, cause.type === "client_stalled" ? cause.message : KIND_AND_MESSAGE[cause.type].message, {
      reason: cause.type,
      ...(cause.type === "shutdown" ? { retryAfter: 5 } : {}),
    });
    this.name = "Cancelled";
    this.cancelCause = cause;
  }

  /** Whether the client is told of it, as an error event: not when it left, nor when a sibling's error is the one to tell. */
  get reported(): boolean {
    return this.cancelCause.type !== "client_gone" && this.cancelCause.type !== "sibling_failed";
  }
}

const KIND_AND_MESSAGE = {
  client_gone: { kind: "unavailable", message: "The client disconnected." },
  client_stalled: { kind: "unavailable", message: "The client stopped reading." },
  shutdown: { kind: "unavailable", message: "The server is shutting down; retry shortly." },
  sibling_failed: { kind: "unavailable", message: "Another generation of the same request failed." },
  response_cancelled: { kind: "unavailable", message: "The response was cancelled." },
} as const;

/** The cancellation an aborted signal stands for. */
export function cancellationOf(signal: AbortSignal): Cancelled {
  return new Cancelled(causeOf(signal));
}

/** Whether `error` is a generation cancelled for the cause `type`. */
export function isCancelled(error: unknown, type: CancelCause["type"]): boolean {
  return error instanceof Cancelled && error.cancelCause.type === type;
}
