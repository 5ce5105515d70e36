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

function isCancelCause(value: unknown): value is CancelCause {
  return typeof value === "object" && value !== null && Object.hasOwn(MESSAGES, String((value as { type?: unknown }).type));
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
    super("unavailable", cause.type === "client_stalled" ? cause.message : MESSAGES[cause.type], {
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

/** What each cause tells a client; every cancellation is of kind `unavailable` (retry later). */
const MESSAGES: Record<CancelCause["type"], string> = {
  client_gone: "The client disconnected.",
  client_stalled: "The client stopped reading.",
  shutdown: "The server is shutting down; retry shortly.",
  sibling_failed: "Another generation of the same request failed.",
  response_cancelled: "The response was cancelled.",
};

/** The cancellation an aborted signal stands for. */
export function cancellationOf(signal: AbortSignal): Cancelled {
  return new Cancelled(causeOf(signal));
}

/** Whether `error` is a generation cancelled for the cause `type`. */
export function isCancelled(error: unknown, type: CancelCause["type"]): boolean {
  return error instanceof Cancelled && error.cancelCause.type === type;
}
