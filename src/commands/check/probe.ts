// The contract between a probe and the runner that times it.
import type { Protocol } from "./check-result.js";
import type { SdkClients } from "./sdk-clients.js";

/** What a probe is given: the server, the model, its budget, and the meter it reports its progress to. */
export interface ProbeContext {
  /** The server's root, without a trailing slash. */
  readonly url: string;
  readonly apiKey: string | undefined;
  /** The model to ask for; "" for the probes that name none (`needsModel: false`). */
  readonly model: string;
  readonly maxTokens: number;
  /** Aborted at the probe's deadline; pass it to every request. */
  readonly signal: AbortSignal;
  readonly sdks: SdkClients;
  /** The HTTP status of the answer, as soon as it is known (before its body is read, so a bad body still shows it). */
  received(status: number): void;
  /** The first token of the reply has arrived; later calls are ignored. Non-streamed probes never call it. */
  firstToken(): void;
}

export interface ProbeAnswer {
  /** Output tokens: from the reply's usage, or the deltas counted; null for probes that generate nothing. */
  outputTokens: number | null;
}

/** One fixed request: sends it, checks the answer's shape (throwing CheckFailure when it is wrong). */
export interface Probe {
  name: string;
  protocol: Protocol;
  stream: boolean;
  /** Probes of one group stand or fall together: 404 or 405 to the group's first one means the server doesn't offer it. */
  group: string;
  needsModel: boolean;
  run(context: ProbeContext): Promise<ProbeAnswer>;
}
