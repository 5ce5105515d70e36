// A stand-in engine for HTTP tests that need no model: it answers every request with a scripted reply, and notes what
// it was asked.
import { setTimeout as sleep } from "node:timers/promises";
import { cancellationOf } from "../src/core/cancel-cause.js";
import type { ChatEvent } from "../src/core/chat-event.js";
import type { ChatRequest } from "../src/core/chat-request.js";
import type { GatewayError } from "../src/core/gateway-error.js";
import { admitOnStart, type GenerationStream } from "../src/core/generation-stream.js";
import type { Engine, EngineHealth, EngineOccupancy, ModelInfo } from "../src/engines/engine.js";

export interface Script {
  inputTokens: number;
  /** Each becomes one text delta. */
  deltas: string[];
  /** Before each delta, in ms. */
  delayMs?: number;
  /** Ends with this error after the deltas instead of an end event. */
  failWith?: GatewayError;
}

export class ScriptedEngine implements Engine {
  readonly requests: ChatRequest[] = [];

  constructor(private readonly id: string, private readonly script: Script) {}

  health(): EngineHealth {
    return { state: "ready" };
  }

  occupancy(): EngineOccupancy {
    return { slots: 1, busySlots: 0, queued: 0 };
  }

  models(): ModelInfo[] {
    return [{ id: this.id, created: 0, ownedBy: "test", contextLength: 1024 }];
  }

  async countTokens(): Promise<number> {
    return this.script.inputTokens;
  }

  generate(request: ChatRequest, signal: AbortSignal): GenerationStream {
    this.requests.push(request);
    return admitOnStart(this.run(signal));
  }

  private async *run(signal: AbortSignal): AsyncGenerator<ChatEvent> {
    const { inputTokens, deltas, delayMs = 0, failWith } = this.script;
    yield { type: "start", inputTokens, cachedTokens: 0 };
    yield { type: "block_start", index: 0, kind: "text" };
    for (const text of deltas) {
      if (delayMs > 0) await sleep(delayMs, undefined, { signal }).catch(() => undefined);
      if (signal.aborted) {
        const cancelled = cancellationOf(signal);
        if (cancelled.reported) yield { type: "error", error: cancelled };
        return;
      }
      yield { type: "text_delta", index: 0, text };
    }
    if (failWith !== undefined) {
      yield { type: "error", error: failWith };
      return;
    }
    yield { type: "block_end", index: 0 };
    yield { type: "end", stopReason: "end_turn", usage: { inputTokens, cachedTokens: 0, outputTokens: deltas.length } };
  }
}
