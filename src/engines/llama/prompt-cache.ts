// Prompts a slot is about to lose, saved to files so that a conversation coming back later (more conversations than
// slots: several agents, a sub-agent beside its parent) is loaded in a moment instead of read again token by token —
// what llama-server's host-memory prompt cache and vLLM's prefix cache do. What the slots hold when the model unloads
// or the server stops is saved too, and the files outlive the process (prompt-store.ts): after a restart, an agent's
// next session with the same system prompt and tools reads only what changed. States are saved whole (node-llama-cpp
// saves a sequence, not part of one), are readable only by the partition they came from, are kept within a byte
// budget (least recently used dropped first, across restarts too), and are checked before they are read: the file
// against its record, then the tokens the state holds against the prefix it was saved for.
import type { LlamaContextSequence, Token } from "node-llama-cpp";
import type { Logger } from "pino";
import type { PromptCacheStats } from "../engine.js";
import { removeAbandonedDirectories } from "./abandoned-directories.js";
import { commonPrefixLength } from "./choose-slot.js";
import { PromptStore, type StoredState } from "./prompt-store.js";
import { SavedPrefixes } from "./saved-prefixes.js";
import type { Slot } from "./slot.js";

/** Fewer tokens than this are read again rather than saved or loaded: the file round trip would cost about as much. */
const MIN_SAVED_TOKENS = 256;
/**
 * A slot is saved only when the new prompt keeps less than this share of it: another conversation is taking it over.
 * A conversation continuing on its own slot loses only its tail (Qwen's template drops the last turn's thinking),
 * which is not worth a write of the whole state.
 */
const TAKEOVER_SHARE = 0.5;
/** After a failed save (a full disk), the next attempts wait this long rather than stall every slot again. */
const RETRY_AFTER_FAILURE_MS = 60_000;

export interface PromptCacheOptions {
  maxBytes: number;
  /** Where the directories of state files are. */
  parentDir: string;
  log: Logger;
}

export class PromptCache {
  private readonly saved: SavedPrefixes<StoredState>;
  private readonly createdAt = Date.now();
  private saves = 0;
  private loads = 0;
  private store: Promise<PromptStore> | undefined;
  /** Set when its directory cannot be used: warned about once, then nothing is saved. */
  private unusable = false;
  private disposed = false;
  private failedAt = Number.NEGATIVE_INFINITY;
  /** Learned from the saves so far, so a state larger than the whole budget is not written only to be deleted. */
  private bytesPerToken = 0;
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(private readonly options: PromptCacheOptions) {
    this.saved = new SavedPrefixes<StoredState>({ maxBytes: options.maxBytes, slack: MIN_SAVED_TOKENS });
  }

  stats(): PromptCacheStats {
    return { since: this.createdAt, entries: this.saved.size, bytes: this.saved.bytes, saves: this.saves, loads: this.loads };
  }

  /**
   * Opens the directory of `key` (the model and KV layout, cache-identity.ts) and takes in what an earlier process
   * left there, within the budget; removes what killed processes on this host left of their own. A model's cache is
   * opened as it loads.
   */
  async open(key: string): Promise<void> {
    await removeAbandonedDirectories(this.options.parentDir);
    this.store = PromptStore.open(this.options.parentDir, key, this.options.log);
    try {
      const store = await this.store;
      const found = await store.scan();
      const dropped = found.flatMap((state) => this.saved.add(state));
      await Promise.all(dropped.map((state) => store.remove(state)));
      if (found.length > 0) {
        this.options.log.info({ states: this.saved.size, MiB: Math.round(this.saved.bytes / 2 ** 20), dropped: dropped.length }, "prompt cache: saved prompts kept from an earlier run");
      }
    } catch (error) {
      this.unusable = true;
      this.options.log.warn({ err: error, directory: this.options.parentDir }, "the prompt cache's directory cannot be used: prompts evicted from slots will be read again");
    }
  }

  /** Saves `slot`, holding `tokens` of `partition`, when a new prompt sharing only `kept` of them takes it over. */
  saveBeforeLosing(slot: LlamaContextSequence, tokens: readonly Token[], partition: string, kept: number): Promise<void> {
    if (tokens.length - kept < MIN_SAVED_TOKENS || kept >= TAKEOVER_SHARE * tokens.length) return Promise.resolve();
    return this.keep(slot, tokens, partition, "prompt saved before its slot was reused");
  }

  /** Saves what the slots hold, where it is not saved already, before the model unloads: the next run starts from it. */
  async saveBeforeUnload(slots: readonly Pick<Slot, "sequence" | "partition">[]): Promise<void> {
    if (!(await this.persistent())) return;
    for (const { sequence, partition } of slots) {
      const tokens = sequence.contextTokens;
      if (partition === undefined || tokens.length < MIN_SAVED_TOKENS) continue;
      await this.keep(sequence, tokens, partition, "prompt saved as the model unloads");
    }
  }

  /**
   * Loads into `slot` the saved state sharing the most of `prompt` when that is at least MIN_SAVED_TOKENS more than
   * the `held` tokens the slot already shares with it; returns how many leading prompt tokens the slot now holds.
   */
  async restore(slot: LlamaContextSequence, partition: string, prompt: readonly Token[], held: number): Promise<number> {
    if (this.disposed || slot.needsCheckpoints) return held;
    const match = this.saved.longestMatch(partition, prompt);
    if (match === undefined || match.length < held + MIN_SAVED_TOKENS || match.entry.tokens.length > slot.contextSize) return held;
    return this.track(this.load(slot, match.entry, match.length, held));
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    await Promise.allSettled([...this.inFlight]);
    this.saved.clear();
    const store = await this.store?.catch(() => undefined);
    await store?.close();
  }

  private async persistent(): Promise<boolean> {
    return (await this.store?.catch(() => undefined))?.persistent === true;
  }

  private keep(slot: LlamaContextSequence, tokens: readonly Token[], partition: string, message: string): Promise<void> {
    if (this.disposed || this.unusable || this.store === undefined || slot.needsCheckpoints) return Promise.resolve();
    if (performance.now() - this.failedAt < RETRY_AFTER_FAILURE_MS) return Promise.resolve();
    if (!this.saved.fits(tokens.length * this.bytesPerToken) || this.saved.covers(partition, tokens)) return Promise.resolve();
    return this.track(this.save(slot, partition, [...tokens], message));
  }

  private async save(slot: LlamaContextSequence, partition: string, tokens: readonly Token[], message: string): Promise<void> {
    const started = performance.now();
    let store: PromptStore | undefined;
    let pending: string | undefined;
    try {
      store = await this.store!;
      pending = store.pendingPath();
      const { fileSize } = await slot.saveStateToFile(pending);
      this.bytesPerToken = fileSize / tokens.length;
      if (!this.saved.fits(fileSize)) return;
      const entry = await store.commit(pending, partition, tokens);
      pending = undefined;
      const dropped = this.saved.add(entry);
      this.saves++;
      await Promise.all(dropped.filter((e) => e.id !== entry.id).map((e) => store!.remove(e)));
      this.options.log.debug({ tokens: tokens.length, bytes: fileSize, ms: Math.round(performance.now() - started) }, message);
    } catch (error) {
      this.failedAt = performance.now();
      this.options.log.warn({ err: error }, "could not save a prompt before reusing its slot");
    } finally {
      if (pending !== undefined) await store?.removePending(pending);
    }
  }

  private async load(slot: LlamaContextSequence, entry: StoredState, length: number, held: number): Promise<number> {
    const started = performance.now();
    const unpin = this.saved.pin(entry);
    const store = await this.store!;
    try {
      if (!(await store.check(entry))) {
        this.saved.delete(entry);
        return held;
      }
      // Loading from position 0 of an emptied sequence: nothing of what it held before can survive beside the state.
      if (slot.contextTokens.length > 0) await slot.clearHistory();
      await slot.loadStateFromFile(entry.path, { acceptRisk: true });
      const loaded = slot.contextTokens;
      if (loaded.length !== entry.tokens.length || commonPrefixLength(loaded, entry.tokens) !== loaded.length) throw new Error("the state holds other tokens than its record says");
      this.loads++;
      void store.touch(entry);
      this.options.log.debug({ tokens: length, ms: Math.round(performance.now() - started) }, "prompt loaded from the prompt cache");
      return length;
    } catch (error) {
      this.options.log.warn({ err: error, file: entry.path }, "could not load a saved prompt: deleted");
      await slot.clearHistory();
      this.saved.delete(entry);
      await store.remove(entry);
      return 0;
    } finally {
      unpin();
    }
  }

  private track<T>(work: Promise<T>): Promise<T> {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work)).catch(() => undefined);
    return work;
  }
}
