// One of the context's sequences as the engine hands it out: its number, the tokens it holds, the partition they
// belong to, and the conversation it last served.
import type { LlamaContextSequence, Token } from "node-llama-cpp";
import { cancellationOf } from "../../core/cancel-cause.js";
import { commonPrefixLength } from "./choose-slot.js";
import type { PromptCache } from "./prompt-cache.js";

export class Slot {
  /** The partition whose tokens it holds: another partition's request starts it afresh. Unset while it holds none. */
  private owner: string | undefined;
  /** The prompt cache key (Responses' `prompt_cache_key`) of the request it last served. */
  private cacheKey: string | undefined;

  /** `number`: the sequence's place in the context, in the order they were created. */
  constructor(readonly sequence: LlamaContextSequence, readonly number: number) {}

  get tokens(): readonly Token[] {
    return this.sequence.contextTokens;
  }

  /** The partition whose tokens it holds; undefined while it holds none. */
  get partition(): string | undefined {
    return this.owner;
  }

  /** Whether a request of `partition` may reuse the tokens it holds. */
  reusableBy(partition: string): boolean {
    return (this.owner ?? partition) === partition;
  }

  /** Whether it last served the conversation `cacheKey` of `partition` and still holds some of it: the one to continue. */
  continues(partition: string, cacheKey: string): boolean {
    return this.cacheKey === cacheKey && this.reusableBy(partition) && this.tokens.length > 0;
  }

  /**
   * Makes it ready for `tokens` of `partition` and returns how many leading prompt tokens it holds: what another
   * conversation would lose is saved to the prompt cache first, another partition's tokens are dropped (neither
   * reused nor reported), and a saved state holding more of the prompt is loaded. It becomes the partition's only
   * here, so a request gone before this point leaves it, and its tokens, to their owner.
   */
  async takeOver(partition: string, tokens: readonly Token[], promptCache: PromptCache | undefined, signal: AbortSignal): Promise<number> {
    const owner = this.owner ?? partition;
    const before = this.sequence.contextTokens;
    // What it keeps of the prompt: all of it is lost when it was another partition's.
    const kept = owner === partition ? commonPrefixLength(before, tokens) : 0;
    await promptCache?.saveBeforeLosing(this.sequence, before, owner, kept);
    if (signal.aborted) throw cancellationOf(signal);
    if (owner !== partition && before.length > 0) await this.sequence.clearHistory();
    this.owner = partition;
    return promptCache === undefined ? kept : promptCache.restore(this.sequence, partition, tokens, kept);
  }

  /** Notes the conversation it served (none: `undefined`), as it is handed back. */
  served(cacheKey: string | undefined): void {
    this.cacheKey = cacheKey;
  }
}
