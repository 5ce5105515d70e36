// A model with a fallback: when its engine cannot start an answer because its upstream is unreachable or failing,
// the fallback model's engine answers instead (the client still sees the model name it asked for).
import type { ChatEvent } from "../core/chat-event.js";
import type { ChatRequest } from "../core/chat-request.js";
import { GatewayError } from "../core/gateway-error.js";
import type { Engine, EngineHealth, EngineOccupancy, ModelInfo } from "./engine.js";

export class FallbackEngine implements Engine {
  constructor(private readonly primary: Engine, private readonly fallback: Engine) {}

  health(): EngineHealth {
    return this.primary.health();
  }

  occupancy(): EngineOccupancy {
    return this.primary.occupancy();
  }

  models(): ModelInfo[] {
    return this.primary.models();
  }

  countTokens(request: ChatRequest): Promise<number> {
    return this.primary.countTokens(request);
  }

  async *generate(request: ChatRequest, signal: AbortSignal): AsyncGenerator<ChatEvent> {
    const iterator = this.primary.generate(request, signal)[Symbol.asyncIterator]();
    let first: IteratorResult<ChatEvent>;
    try {
      first = await iterator.next();
    } catch (error) {
      if (!(error instanceof GatewayError) || (error.kind !== "unavailable" && error.kind !== "upstream")) throw error;
      yield* this.fallback.generate(request, signal);
      return;
    }
    try {
      if (first.done === true) return;
      yield first.value;
      for (let next = await iterator.next(); next.done !== true; next = await iterator.next()) yield next.value;
    } finally {
      await iterator.return?.();
    }
  }
}
