// A clock for tests: monotonic time is whatever the test last set, the wall clock a fixed instant.
import type { ChatEvent } from "../../core/chat-event.js";
import type { Clock, ReplyContext } from "./reply-context.js";

export const WALL = "2025-01-02T03:04:05.678Z";

export class TestClock implements Clock {
  constructor(public now = 0) {}
  monotonic(): number {
    return this.now;
  }
  wall(): Date {
    return new Date(WALL);
  }
}

export const testContext = (clock: TestClock, requestStart: number, model = "qwen3:0.6b"): ReplyContext => ({ model, requestStart, clock });

/** The events, each arriving at its time (ms on `clock`). */
export async function* timedEvents(clock: TestClock, timed: ReadonlyArray<[number, ChatEvent]>): AsyncGenerator<ChatEvent> {
  for (const [at, event] of timed) {
    clock.now = at;
    yield event;
  }
}
