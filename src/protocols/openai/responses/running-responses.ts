// Responses being generated, by id and owner, so POST /v1/responses/{id}/cancel can stop one.
import type { Engine } from "../../../engines/engine.js";
import { ResponseCancelled } from "./errors.js";

interface Running<R> {
  owner: string;
  controller: AbortController;
  /** The response as a cancelled one, for the cancel endpoint to answer with. */
  cancelled: () => R;
}

export class RunningResponses<R = unknown> {
  private readonly running = new Map<string, Running<R>>();

  /** Registers a response; its signal aborts with ResponseCancelled when it is cancelled. Call `finish` when it ends. */
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
    entry.controller.abort(new ResponseCancelled());
    this.running.delete(id);
    return entry.cancelled();
  }
}

/** The engine with a second signal that also stops its generations. */
export function cancellable(engine: Engine, cancel: AbortSignal): Engine {
  return {
    health: () => engine.health(),
    occupancy: () => engine.occupancy(),
    models: () => engine.models(),
    countTokens: (request) => engine.countTokens(request),
    generate: (request, signal) => engine.generate(request, AbortSignal.any([signal, cancel])),
  };
}
