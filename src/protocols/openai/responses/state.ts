// What the Responses endpoints keep between requests: one per server, given to every endpoint in its input.
import { randomBytes } from "node:crypto";
import type { WireResponse } from "./render-response.js";
import { RunningResponses } from "./running-responses.js";
import { DEFAULT_STORE_LIMITS, ResponseStore, type StoreLimits } from "./store.js";

export interface ResponsesState {
  store: ResponseStore;
  running: RunningResponses<WireResponse>;
  /** Signs reasoning handed to clients as `encrypted_content`. */
  reasoningKey: Uint8Array;
}

export function createResponsesState(options: { limits?: StoreLimits; reasoningKey?: Uint8Array } = {}): ResponsesState {
  return {
    store: new ResponseStore(options.limits ?? DEFAULT_STORE_LIMITS),
    running: new RunningResponses<WireResponse>(),
    reasoningKey: options.reasoningKey ?? randomBytes(32),
  };
}

