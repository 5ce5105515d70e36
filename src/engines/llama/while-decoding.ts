// Per-token work the next decode does not depend on — turning a token's text into protocol events and writing them
// to the client — waits until that decode is on the thread pool, and then runs while it computes. Run at once, it
// sits in the microtasks between a sampled token and the batch dispatch, so every slot's next decode also waits for
// every other slot's HTTP writes: on the tiny fixture at four clients that is about a sixth of the time per token.
// The patched LlamaContext calls `decodeStarted` right after it hands a batch to the native decoder.

/** When no decode starts soon after (the reply ended, or nothing else generates), deferred work runs after this long. */
const FALLBACK_MS = 1;

export class WhileDecoding {
  private pending: Array<() => void> = [];
  private fallback: NodeJS.Timeout | undefined;

  /** Runs `work` once the next decode has started, or after FALLBACK_MS if none has; in the order deferred. */
  defer(work: () => void): void {
    this.pending.push(work);
    this.fallback ??= setTimeout(this.runPending, FALLBACK_MS);
  }

  /** Runs what waits now (the context is being disposed, say). */
  flush(): void {
    this.runPending();
  }

  readonly decodeStarted = (): void => this.runPending();

  private readonly runPending = (): void => {
    clearTimeout(this.fallback);
    this.fallback = undefined;
    const work = this.pending;
    this.pending = [];
    for (const run of work) run();
  };
}
