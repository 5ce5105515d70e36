// Prompts a slot is about to lose, saved to files so that a conversation coming back later (more conversations than
// slots: several agents, a sub-agent beside its parent) is loaded in a moment instead of read again token by token —
// what llama-server's host-memory prompt cache and vLLM's prefix cache do. States are saved whole (node-llama-cpp
// saves a sequence, not part of one), are readable only by the partition they came from, and are deleted when
// dropped from the budget or when the model unloads.
import { mkdtemp, rm } from "node:fs/promises";
import { join } from "node:path";
import type { LlamaContextSequence, Token } from "node-llama-cpp";
import type { Logger } from "pino";
import { SavedPrefixes } from "./saved-prefixes.js";

/** Fewer tokens than this are read again rather than saved or loaded: the file round trip would cost about as much. */
export const MIN_SAVED_TOKENS = 256;

export interface PromptCacheOptions {
  maxBytes: number;
  /** Where the directory of state files is made. */
  parentDir: string;
  log: Logger;
}

export class PromptCache {
  private readonly saved: SavedPrefixes;
  private directory: Promise<string> | undefined;
  private files = 0;
  /** Set when its directory cannot be made: warned about once, then nothing is saved. */
  private unusable = false;

  constructor(private readonly options: PromptCacheOptions) {
    this.saved = new SavedPrefixes(options.maxBytes);
  }

  get bytes(): number {
    return this.saved.bytes;
  }

  /** Saves what `slot` holds (for `partition`) when a new prompt that shares only `kept` of its tokens would lose many. */
  async saveBeforeLosing(slot: LlamaContextSequence, partition: string, kept: number): Promise<void> {
    const tokens = slot.contextTokens;
    if (this.unusable || tokens.length - kept < MIN_SAVED_TOKENS || this.saved.covers(partition, tokens)) return;
    const started = performance.now();
    let path: string | undefined;
    try {
      this.directory ??= mkdtemp(join(this.options.parentDir, "lals-prompts-"));
      const directory = await this.directory.catch((error: unknown) => {
        this.unusable = true;
        throw error;
      });
      path = join(directory, `${++this.files}.state`);
      const { fileSize } = await slot.saveStateToFile(path);
      if (!this.saved.fits(fileSize)) {
        await rm(path, { force: true });
        return;
      }
      const dropped = this.saved.add({ partition, tokens: [...tokens], path, bytes: fileSize });
      await Promise.all(dropped.map((e) => rm(e.path, { force: true })));
      this.options.log.debug({ tokens: tokens.length, bytes: fileSize, ms: Math.round(performance.now() - started) }, "prompt saved before its slot was reused");
    } catch (error) {
      if (path !== undefined) await rm(path, { force: true }).catch(() => undefined);
      this.options.log.warn({ err: error }, "could not save a prompt before reusing its slot");
    }
  }

  /**
   * Loads into `slot` the saved state sharing the most of `prompt` when that is at least MIN_SAVED_TOKENS more than
   * the `held` tokens the slot already shares with it; returns how many leading prompt tokens the slot now holds.
   */
  async restore(slot: LlamaContextSequence, partition: string, prompt: readonly Token[], held: number): Promise<number> {
    const match = this.saved.longestMatch(partition, prompt);
    if (match === undefined || match.length < held + MIN_SAVED_TOKENS) return held;
    const started = performance.now();
    try {
      await slot.loadStateFromFile(match.entry.path, { acceptRisk: true });
      this.saved.touch(match.entry);
      this.options.log.debug({ tokens: match.length, ms: Math.round(performance.now() - started) }, "prompt loaded from the prompt cache");
      return match.length;
    } catch (error) {
      // A failed load may have left the sequence half written: start it afresh.
      this.options.log.warn({ err: error }, "could not load a saved prompt");
      await slot.clearHistory();
      return 0;
    }
  }

  async dispose(): Promise<void> {
    this.saved.clear();
    const directory = await this.directory?.catch(() => undefined);
    if (directory !== undefined) await rm(directory, { recursive: true, force: true });
  }
}
