// A signal that aborts, with a given reason, when a timer runs out; the timer can be re-armed as progress is made.

export class Deadline {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Aborts with `reason()` after `ms` unless re-armed or disarmed first. */
  arm(ms: number, reason: () => Error): void {
    this.disarm();
    this.timer = setTimeout(() => this.controller.abort(reason()), ms);
    this.timer.unref();
  }

  disarm(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
