// The context's slots and who gets which: a free one that holds the conversation, else the cheapest to take over,
// queued when none is free, and all of a group's slots at once.
import type { LlamaContextSequence, Token } from "node-llama-cpp";
import type { GenerationGroup } from "../engine.js";
import { chooseSlot } from "./choose-slot.js";
import { Slot } from "./slot.js";
import { SlotGroup } from "./slot-group.js";
import { SlotScheduler } from "./slot-scheduler.js";

export interface SlotPoolOptions {
  sequences: readonly LlamaContextSequence[];
  /** Requests that may wait for a slot; one more is refused as overloaded. */
  maxQueue: number;
  /** How long a request may wait for a slot; 0: no limit. */
  maxWaitMs: number;
}

/** What a request brings to the choice of its slot. */
export interface SlotWant {
  partition: string;
  /** The client's name for the conversation (Responses' `prompt_cache_key`). */
  cacheKey: string | undefined;
  tokens: readonly Token[];
}

export class SlotPool {
  private readonly scheduler: SlotScheduler<Slot>;
  /** Every slot, busy or free. */
  readonly slots: readonly Slot[];
  private readonly groups = new WeakMap<GenerationGroup, SlotGroup<Slot>>();

  constructor({ sequences, maxQueue, maxWaitMs }: SlotPoolOptions) {
    const slots = sequences.map((sequence, number) => new Slot(sequence, number));
    this.slots = slots;
    this.scheduler = new SlotScheduler({ slots, maxQueue, maxWaitMs });
  }

  get idle(): number {
    return this.scheduler.idle;
  }

  get queued(): number {
    return this.scheduler.queued;
  }

  /** A free slot for `want`, waiting in line when none is free (SlotScheduler.acquire). */
  acquire(want: SlotWant, signal: AbortSignal): Promise<Slot> {
    return this.scheduler.acquire(signal, (free) => choose(free, want));
  }

  /** The slots of `group`, acquired together by the member that asks first, with that member's signal. */
  member(group: GenerationGroup, signal: AbortSignal): SlotGroup<Slot> {
    let slots = this.groups.get(group);
    if (slots === undefined) {
      slots = new SlotGroup({ size: group.size, acquire: (count) => this.scheduler.acquireMany(count, signal), release: (slot) => this.scheduler.release(slot) });
      this.groups.set(group, slots);
    }
    return slots;
  }

  /** What hands `slot` back, noting the conversation it served: once, however often it is called. */
  releaser(slot: Slot, cacheKey: string | undefined): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      slot.served(cacheKey);
      this.scheduler.release(slot);
    };
  }
}

/** A client's prompt cache key names the conversation: the free slot that last served it is the one to continue. */
function choose(free: readonly Slot[], { partition, cacheKey, tokens }: SlotWant): Slot {
  const continuing = cacheKey === undefined ? undefined : free.find((slot) => slot.continues(partition, cacheKey));
  return continuing ?? chooseSlot(free, tokens, (slot) => ({ number: slot.number, tokens: slot.tokens, reusable: slot.reusableBy(partition) })).slot;
}
