// Which free slot a prompt goes to: one that already holds much of it, else the one whose loss costs least.
import type { Token } from "node-llama-cpp";

export interface SlotChoice<S> {
  slot: S;
  /** Leading prompt tokens the slot already holds: only the rest is evaluated. */
  held: number;
}

/** The part of the prompt a held prefix must cover before reusing it beats keeping busy slots contiguous. */
const REUSE_SHARE = 0.5;

export function commonPrefixLength(a: readonly Token[], b: readonly Token[]): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a[i] === b[i]) i++;
  return i;
}

/**
 * Picks the free slot holding the longest part of the prompt when that covers at least half of it (the next turn of
 * a chat, a shared system prompt). Otherwise the free slot that throws away the fewest held tokens, so a short
 * side request (Claude Code's title or summary calls) does not evict a long conversation that comes back next turn;
 * among equals the lowest-numbered: llama.cpp keeps one KV stream per sequence and decodes a run of consecutive
 * sequence numbers in one pass over the weights, splitting the batch at every gap, so busy slots packed at the low
 * end decode faster together.
 */
export function chooseSlot<S>(
  free: readonly S[],
  prompt: readonly Token[],
  slotInfo: (slot: S) => { number: number; tokens: readonly Token[]; reusable?: boolean },
): SlotChoice<S> {
  const candidates = free
    .map((slot) => {
      const info = slotInfo(slot);
      // Another partition's tokens are never reused, but overwriting them is still a loss to whoever comes back.
      const held = info.reusable === false ? 0 : commonPrefixLength(info.tokens, prompt);
      return { slot, number: info.number, held, lost: info.tokens.length - held };
    })
    .sort((a, b) => a.number - b.number);
  const reusable = candidates.reduce((best, c) => (c.held > best.held ? c : best), candidates[0]!);
  const cheapest = candidates.reduce((best, c) => (c.lost < best.lost ? c : best), candidates[0]!);
  const choice = reusable.held > 0 && reusable.held >= REUSE_SHARE * prompt.length ? reusable : cheapest;
  return { slot: choice.slot, held: choice.held };
}
