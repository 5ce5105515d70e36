// How a decode step's token budget is shared among the slots waiting for it.
import type { BatchItem, PrioritizedBatchItem } from "node-llama-cpp";

/**
 * Max-min fair shares of the batch: the smallest needs are met first, so every generating slot (one token each) is in
 * every step, and what is left is split evenly among the prompts being evaluated. A long prompt is thus evaluated in
 * chunks between the other slots' tokens instead of stalling them until it is done (node-llama-cpp's own strategy
 * lets one long prompt take the whole batch). Items that get nothing this step are left out.
 */
export function shareBatch({ items, size }: { items: readonly BatchItem[]; size: number }): PrioritizedBatchItem[] {
  const byNeed = [...items].sort((a, b) => a.tokens.length - b.tokens.length || b.evaluationPriority - a.evaluationPriority);
  const shares: PrioritizedBatchItem[] = [];
  let left = size;
  byNeed.forEach((item, index) => {
    const fairShare = Math.floor(left / (byNeed.length - index));
    const processAmount = Math.min(item.tokens.length, fairShare);
    if (processAmount <= 0) return;
    shares.push({ item, processAmount });
    left -= processAmount;
  });
  return shares;
}
