// Responses being generated, by id and owner, so POST /v1/responses/{id}/cancel can stop one.
import { cancelWith } from "../../../core/cancel-cause.js";

interface Running<R> {
  owner: string;
  controller: AbortController;
  /** The response as a cancelled one, for the cancel endpoint to answer with. */
  cancelled: () => R;
}

export class RunningResponses<R = unknown> {
  private readonly running = new Map<string, Running<R>>();

  /** Registers a response; its signal aborts (cause `response_cancelled`) when it is cancelled. Call `finish` when it ends. */
  start(owner: string, id: string, cancelled: () => R): AbortSignal {
    const controller = new AbortController();
    this.running.set(id, { owner, controller, cancelled });
    return controller.signal;
  }

  finish(id: string): void {
    this.running.delete(id);
  }

  /** Cancels the owner's running response `id`, returning it as cancelled; undefined if there is none. */
  cancel(owner: string, id: string): R | undefined {
    const entry = this.running.get(id);
    if (entry === undefined || entry.owner !== owner) return undefined;
    cancelWith(entry.controller, { type: "response_cancelled" });
    this.running.delete(id);
    return entry.cancelled();
  }
}
