// A model with a fallback: when its engine cannot admit a request because its upstream is unreachable or failing,
// the fallback model's engine answers instead (the client still sees the model name it asked for).
import type { ChatEvent } from "../core/chat-event.js";
import type { ChatRequest } from "../core/chat-request.js";
import { GatewayError } from "../core/gateway-error.js";
import type { GenerationStream } from "../core/generation-stream.js";
import type { Engine, EngineHealth, EngineOccupancy, GenerateOptions, ModelInfo } from "./engine.js";

/** Refusals the fallback answers: the primary could not be reached or failed, not the request itself. */
const fallsBack = (error: unknown): boolean => error instanceof GatewayError && (error.kind === "unavailable" || error.kind === "upstream");

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

  /** The primary's generation, or, when the primary refuses it for a fallback reason, the fallback's. */
  generate(request: ChatRequest, signal: AbortSignal, options: GenerateOptions): GenerationStream {
    let chosen = this.primary.generate(request, signal, options);
    let closed = false;
    const admitted = chosen.admitted.catch((error: unknown) => {
      // A cancelled request is not answered by anyone: its refusal is the cancellation.
      if (closed || signal.aborted || !fallsBack(error)) throw error;
      chosen = this.fallback.generate(request, signal, options);
      return chosen.admitted;
    });
    // A refusal nobody awaits is not an unhandled rejection: iterating rethrows it.
    admitted.catch(() => undefined);
    const close = async (): Promise<void> => {
      // Closed before the primary's refusal, the fallback is never started.
      closed = true;
      await chosen.close();
    };
    return {
      admitted,
      close,
      async *[Symbol.asyncIterator](): AsyncGenerator<ChatEvent> {
        try {
          await admitted;
          yield* chosen;
        } finally {
          await close();
        }
      },
    };
  }
}
