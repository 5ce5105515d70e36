// Responses being generated, by id and owner, so POST /v1/responses/{id}/cancel can stop one.
import type { Engine } from "../../../engines/engine.js";
import { ResponseCancelled } from "./errors.js";

interface Running {
  owner: string;
  controller: AbortController;
}

export class RunningResponses {
  private readonly running = new Map<string, Running>();

  /** Registers a response; its signal aborts with ResponseCancelled when it is cancelled. Call `finish` when it ends. */
  start(owner: string, id: string): AbortSignal {
    const controller = new AbortController();
    this.running.set(id, { owner, controller });
    return controller.signal;
  }

  finish(id: string): void {
    this.running.delete(id);
  }

  /** Cancels the owner's running response `id`; false if there is none. */
  cancel(owner: string, id: string): boolean {
    const entry = this.running.get(id);
    if (entry === undefined || entry.owner !== owner) return false;
    entry.controller.abort(new ResponseCancelled());
    this.running.delete(id);
    return true;
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
