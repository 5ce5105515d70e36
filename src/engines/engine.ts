// What every engine offers the HTTP layer: its models, token counts, and a stream of canonical events.
import type { ChatEvent } from "../core/chat-event.js";
import type { ChatRequest } from "../core/chat-request.js";

export interface ModelInfo {
  id: string;
  /** Unix seconds. */
  created: number;
  ownedBy: string;
  contextLength: number;
  /** Set on an alias: the served model it stands for. */
  aliasOf?: string;
}

export type EngineHealth = { state: "loading" } | { state: "ready" } | { state: "failed"; reason: string };

/** How busy an engine is, for metrics. */
export interface EngineOccupancy {
  slots: number;
  busySlots: number;
  queued: number;
}

export interface Engine {
  health(): EngineHealth;
  occupancy(): EngineOccupancy;
  models(): ModelInfo[];
  /** Exactly the input tokens `generate` would report for the same request. */
  countTokens(request: ChatRequest): Promise<number>;
  /** Streams the reply; aborting `signal` stops generation and frees whatever the request held. */
  generate(request: ChatRequest, signal: AbortSignal): AsyncIterable<ChatEvent>;
}
