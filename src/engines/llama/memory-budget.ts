// How much memory the local models may hold together (MODEL_MEMORY_LIMIT): a model that does not fit first unloads the
// least recently used idle ones, and is refused with a clear error when nothing idle is left to unload.
import { GatewayError } from "../../core/gateway-error.js";

/** A loaded model the budget may unload to make room. */
export interface Evictable {
  readonly id: string;
  /** When it last finished a request; undefined while it serves one (or is pinned), which makes it unevictable. */
  idleSince(): number | undefined;
  unload(): Promise<void>;
}

const MIB = 1024 * 1024;

export class MemoryBudget {
  private readonly held = new Map<string, number>();
  private readonly evictables = new Set<Evictable>();
  // Reservations run one at a time, so two loads never both unload the same model or both count the same free bytes.
  private turn: Promise<unknown> = Promise.resolve();

  constructor(readonly limitBytes: number) {}

  get usedBytes(): number {
    let used = 0;
    for (const bytes of this.held.values()) used += bytes;
    return used;
  }

  register(model: Evictable): void {
    this.evictables.add(model);
  }

  /** Reserves `bytes` for `id`, unloading idle models (least recently used first) until they fit. */
  reserve(id: string, bytes: number): Promise<void> {
    const reserved = this.turn.then(() => this.makeRoom(id, bytes));
    this.turn = reserved.catch(() => undefined);
    return reserved;
  }

  /** Counts `bytes` for a model that is never unloaded (the default one), fitting or not. */
  hold(id: string, bytes: number): void {
    this.held.set(id, bytes);
  }

  release(id: string): void {
    this.held.delete(id);
  }

  private async makeRoom(id: string, bytes: number): Promise<void> {
    while (this.usedBytes + bytes > this.limitBytes) {
      const idle = [...this.evictables]
        .filter((m) => m.id !== id && this.held.has(m.id) && m.idleSince() !== undefined)
        .sort((a, b) => a.idleSince()! - b.idleSince()!);
      const victim = idle[0];
      if (victim === undefined) {
        throw new GatewayError("unavailable",
          `The model '${id}' needs about ${Math.ceil(bytes / MIB)} MiB, but ${Math.floor((this.limitBytes - this.usedBytes) / MIB)} of MODEL_MEMORY_LIMIT's ${Math.floor(this.limitBytes / MIB)} MiB are free and no idle model can be unloaded; retry when the others are idle.`,
          { retryAfter: 10, reason: "memory_limit" });
      }
      await victim.unload();
    }
    this.held.set(id, bytes);
  }
}
