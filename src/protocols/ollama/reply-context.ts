// What every reply of /api/chat and /api/generate is stamped with: the model as asked for, when the request arrived,
// and the clocks its durations and `created_at` are read from (injected, so tests can fix them).

export interface Clock {
  /** performance.now() milliseconds: the clock ChatResult.timing is measured on. */
  monotonic(): number;
  wall(): Date;
}

export const SYSTEM_CLOCK: Clock = { monotonic: () => performance.now(), wall: () => new Date() };

export interface ReplyContext {
  /** The model name the client sent, echoed in every line. */
  model: string;
  /** clock.monotonic() when the request was answered: Ollama's total and load durations count from it. */
  requestStart: number;
  clock: Clock;
}

/** The context of a request arriving now. */
export function replyContext(model: string, clock: Clock = SYSTEM_CLOCK): ReplyContext {
  return { model, requestStart: clock.monotonic(), clock };
}

/** RFC 3339 with fractional seconds, as Ollama stamps `created_at`. */
export const createdAt = (context: ReplyContext): string => context.clock.wall().toISOString();

/** The reply's head: model and created_at. */
export const replyHead = (context: ReplyContext): { model: string; created_at: string } => ({ model: context.model, created_at: createdAt(context) });
