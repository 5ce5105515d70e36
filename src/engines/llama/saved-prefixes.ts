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

export class SavedPrefixes {
  /** Least recently used first. */
  private entries: SavedPrefix[] = [];

  constructor(private readonly maxBytes: number) {}

  get bytes(): number {
    return this.entries.reduce((sum, e) => sum + e.bytes, 0);
  }

  get size(): number {
    return this.entries.length;
  }

  /** Whether a saved state already holds all of `tokens` (the same prompt, or one it led to). */
  covers(partition: string, tokens: readonly Token[]): boolean {
    return this.entries.some((e) => e.partition === partition && e.tokens.length >= tokens.length && commonPrefixLength(e.tokens, tokens) === tokens.length);
  }

  /** The saved state sharing the longest prefix with `prompt`, and how long that prefix is. */
  longestMatch(partition: string, prompt: readonly Token[]): { entry: SavedPrefix; length: number } | undefined {
    let best: { entry: SavedPrefix; length: number } | undefined;
    for (const entry of this.entries) {
      if (entry.partition !== partition) continue;
      const length = commonPrefixLength(entry.tokens, prompt);
      if (length > (best?.length ?? 0)) best = { entry, length };
    }
    return best;
  }

  /** Marks an entry as just used, so it is the last to be dropped. */
  touch(entry: SavedPrefix): void {
    const i = this.entries.indexOf(entry);
    if (i >= 0) this.entries.push(...this.entries.splice(i, 1));
  }

  /** Whether an entry of `bytes` could be kept at all. */
  fits(bytes: number): boolean {
    return bytes <= this.maxBytes;
  }

  /**
   * Adds an entry; returns the ones it replaces (its own earlier prefixes) and those dropped to make room, whose
   * files the caller deletes.
   */
  add(entry: SavedPrefix): SavedPrefix[] {
    const superseded = this.entries.filter((e) => e.partition === entry.partition && e.tokens.length <= entry.tokens.length
      && commonPrefixLength(e.tokens, entry.tokens) === e.tokens.length);
    this.entries = this.entries.filter((e) => !superseded.includes(e));
    const dropped: SavedPrefix[] = [];
    while (this.entries.length > 0 && this.bytes + entry.bytes > this.maxBytes) dropped.push(this.entries.shift()!);
    this.entries.push(entry);
    return [...superseded, ...dropped];
  }

  /** Removes and returns every entry. */
  clear(): SavedPrefix[] {
    const all = this.entries;
    this.entries = [];
    return all;
  }
}
