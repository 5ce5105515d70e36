// The index of prompts saved from slots before they were overwritten: which saved state holds most of a new prompt,
// which ones a new save makes redundant, and which to drop, least recently used first, to stay within a byte budget.
import type { Token } from "node-llama-cpp";
import { commonPrefixLength } from "./choose-slot.js";

export interface SavedPrefix {
  /** Whose prompt it was: only requests of the same partition (API key) may read it back. */
  partition: string;
  tokens: readonly Token[];
  /** The file holding the sequence state. */
  path: string;
  bytes: number;
}

export interface SavedPrefixesOptions {
  /** The budget the entries' bytes stay within. */
  maxBytes: number;
  /**
   * An entry sharing all but this many tokens with a newer one of its partition is dropped when that one is added —
   * the turn before, whose reply the next prompt renders differently, is never worth `slack` tokens more. Default: 0,
   * only entries the new one holds whole.
   */
  slack?: number;
}

export class SavedPrefixes<T extends SavedPrefix = SavedPrefix> {
  /** Least recently used first. */
  private entries: T[] = [];
  /** Entries being read: neither replaced nor dropped until unpinned. */
  private readonly pinned = new Map<T, number>();
  private total = 0;
  private readonly maxBytes: number;
  private readonly slack: number;

  constructor({ maxBytes, slack = 0 }: SavedPrefixesOptions) {
    this.maxBytes = maxBytes;
    this.slack = slack;
  }

  get bytes(): number {
    return this.total;
  }

  get size(): number {
    return this.entries.length;
  }

  /** Whether a saved state already holds all of `tokens` (the same prompt, or one it led to). */
  covers(partition: string, tokens: readonly Token[]): boolean {
    return tokens.length > 0 && this.longestMatch(partition, tokens)?.length === tokens.length;
  }

  /** The saved state sharing the longest prefix with `prompt`, and how long that prefix is. */
  longestMatch(partition: string, prompt: readonly Token[]): { entry: T; length: number } | undefined {
    let best: { entry: T; length: number } | undefined;
    for (const entry of this.entries) {
      if (entry.partition !== partition) continue;
      const length = commonPrefixLength(entry.tokens, prompt);
      if (length > (best?.length ?? 0)) best = { entry, length };
    }
    return best;
  }

  /** Marks an entry as in use (most recently used, and kept) until the returned function is called. */
  pin(entry: T): () => void {
    const i = this.entries.indexOf(entry);
    if (i >= 0) this.entries.push(...this.entries.splice(i, 1));
    this.pinned.set(entry, (this.pinned.get(entry) ?? 0) + 1);
    let unpinned = false;
    return () => {
      if (unpinned) return;
      unpinned = true;
      const count = this.pinned.get(entry)! - 1;
      if (count === 0) this.pinned.delete(entry);
      else this.pinned.set(entry, count);
    };
  }

  /** Whether an entry of `bytes` could be kept at all. */
  fits(bytes: number): boolean {
    return bytes <= this.maxBytes;
  }

  /**
   * Adds an entry; returns the ones it replaces (earlier states of the same conversation) and those dropped to make
   * room, whose files the caller deletes. Pinned entries stay, even if that leaves the budget exceeded until they are
   * unpinned and the next entry is added.
   */
  add(entry: T): T[] {
    const removed = this.entries.filter((e) => !this.pinned.has(e) && e.partition === entry.partition
      && commonPrefixLength(e.tokens, entry.tokens) >= e.tokens.length - this.slack);
    this.remove(removed);
    for (const e of [...this.entries]) {
      if (this.total + entry.bytes <= this.maxBytes) break;
      if (this.pinned.has(e)) continue;
      this.remove([e]);
      removed.push(e);
    }
    this.entries.push(entry);
    this.total += entry.bytes;
    return removed;
  }

  /** Removes an entry (one found not to be what it claims), pinned or not. */
  delete(entry: T): void {
    if (this.entries.includes(entry)) this.remove([entry]);
  }

  /** Removes every entry. */
  clear(): void {
    this.entries = [];
    this.total = 0;
  }

  private remove(entries: readonly T[]): void {
    if (entries.length === 0) return;
    this.entries = this.entries.filter((e) => !entries.includes(e));
    for (const e of entries) this.total -= e.bytes;
  }
}
