// What the Responses endpoints keep between requests: one per server, given to every endpoint in its input.
import { randomBytes } from "node:crypto";
import type { WireResponse } from "./render-response.js";
import { RunningResponses } from "./running-responses.js";
import { DEFAULT_STORE_LIMITS, localResponsesStore, ResponseStore, type ResponsesStore, type StoreLimits } from "./store.js";

export interface ResponsesState {
  store: ResponsesStore;
  running: RunningResponses<WireResponse>;
  /** Signs reasoning handed to clients as `encrypted_content`. */
  reasoningKey: Uint8Array;
}

/** `store`: where responses are kept (by default this process, within `limits`); `reasoningKey`: shared by instances that share a store. */
export function createResponsesState(options: { limits?: StoreLimits; store?: ResponsesStore; reasoningKey?: Uint8Array } = {}): ResponsesState {
  return {
    store: options.store ?? localResponsesStore(new ResponseStore(options.limits ?? DEFAULT_STORE_LIMITS)),
    running: new RunningResponses<WireResponse>(),
    reasoningKey: options.reasoningKey ?? randomBytes(32),
  };
}

