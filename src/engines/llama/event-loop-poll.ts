// Keeping Node's event loop awake while replies are generated. Each token takes two native calls (decode, then
// sample) that run on libuv's thread pool; between them the main thread sleeps in epoll and has to be woken, which
// on small models costs about as much as the decode itself. Polling instead — as llama.cpp's own threads spin-wait
// between graph computations — starts the next step sooner, at the price of one busy core while anything generates.
// Off by default (MODEL_POLL): that core is taken from whatever else runs there, clients included.

/** Reference-counted: the loop polls while at least one generation holds it, and stops with the last release. */
export class EventLoopPoll {
  private holders = 0;
  private polling = false;

  /** Polls until the returned function is called (calling it again does nothing). */
  hold(): () => void {
    this.holders++;
    if (!this.polling) {
      this.polling = true;
      setImmediate(this.tick);
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.holders--;
    };
  }

  // An immediate that re-queues itself keeps libuv's poll phase from blocking: it polls with a zero timeout.
  private readonly tick = (): void => {
    if (this.holders > 0) setImmediate(this.tick);
    else this.polling = false;
  };
}

/** One per process: there is one event loop, whichever models generate. */
export const eventLoopPoll = new EventLoopPoll();
