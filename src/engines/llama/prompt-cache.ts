// Prompts a slot is about to lose, saved to files so that a conversation coming back later (more conversations than
// slots: several agents, a sub-agent beside its parent) is loaded in a moment instead of read again token by token —
// what llama-server's host-memory prompt cache and vLLM's prefix cache do. States are saved whole (node-llama-cpp
// saves a sequence, not part of one), are readable only by the partition they came from, and are deleted when
// dropped from the budget or when the model unloads. States are not restored across restarts, so the directories a
// killed process left are removed when a model's cache is opened, at load, rather than kept outside every budget.
import { mkdir, mkdtemp, readdir, rm } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import type { LlamaContextSequence, Token } from "node-llama-cpp";
import type { Logger } from "pino";
import type { PromptCacheStats } from "../engine.js";
import { SavedPrefixes, type SavedPrefix } from "./saved-prefixes.js";

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
const DIRECTORY_PREFIX = "lals-prompts-";
/**
 * This process's directories start with this: host, pid and the process's start time, so that a directory left with
 * the same pid by an earlier process (a container restarted with the same host name, LALS its pid 1) is not ours.
 */
const OWN_PREFIX = `${DIRECTORY_PREFIX}${hostname()}-${process.pid}-t${Math.round(performance.timeOrigin).toString(36)}-`;

export interface PromptCacheOptions {
  maxBytes: number;
  /** Where the directory of state files is made. */
  parentDir: string;
  log: Logger;
}

export class PromptCache {
  private readonly saved: SavedPrefixes;
  private readonly createdAt = Date.now();
  private saves = 0;
  private loads = 0;
  private directory: Promise<string> | undefined;
  private files = 0;
  /** Set when its directory cannot be made: warned about once, then nothing is saved. */
  private unusable = false;
  private disposed = false;
  private failedAt = Number.NEGATIVE_INFINITY;
  /** Learned from the saves so far, so a state larger than the whole budget is not written only to be deleted. */
  private bytesPerToken = 0;
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(private readonly options: PromptCacheOptions) {
    this.saved = new SavedPrefixes({ maxBytes: options.maxBytes, slack: MIN_SAVED_TOKENS });
  }

  stats(): PromptCacheStats {
    return { since: this.createdAt, entries: this.saved.size, bytes: this.saved.bytes, saves: this.saves, loads: this.loads };
  }

  /** Saves `slot`, holding `tokens` of `partition`, when a new prompt sharing only `kept` of them takes it over. */
  saveBeforeLosing(slot: LlamaContextSequence, tokens: readonly Token[], partition: string, kept: number): Promise<void> {
    if (this.disposed || this.unusable || slot.needsCheckpoints || performance.now() - this.failedAt < RETRY_AFTER_FAILURE_MS) return Promise.resolve();
    if (tokens.length - kept < MIN_SAVED_TOKENS || kept >= TAKEOVER_SHARE * tokens.length) return Promise.resolve();
    if (!this.saved.fits(tokens.length * this.bytesPerToken) || this.saved.covers(partition, tokens)) return Promise.resolve();
    return this.track(this.save(slot, partition, tokens));
  }

  /**
   * Loads into `slot` the saved state sharing the most of `prompt` when that is at least MIN_SAVED_TOKENS more than
   * the `held` tokens the slot already shares with it; returns how many leading prompt tokens the slot now holds.
   */
  async restore(slot: LlamaContextSequence, partition: string, prompt: readonly Token[], held: number): Promise<number> {
    if (this.disposed || slot.needsCheckpoints) return held;
    const match = this.saved.longestMatch(partition, prompt);
    if (match === undefined || match.length < held + MIN_SAVED_TOKENS) return held;
    return this.track(this.load(slot, match.entry, match.length));
  }

  /** Removes what killed processes on this host left in the directory; a model's cache is opened as it loads. */
  async open(): Promise<void> {
    await removeAbandonedDirectories(this.options.parentDir);
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    await Promise.allSettled([...this.inFlight]);
    this.saved.clear();
    const directory = await this.directory?.catch(() => undefined);
    if (directory !== undefined) await rm(directory, { recursive: true, force: true }).catch(() => undefined);
  }

  private async save(slot: LlamaContextSequence, partition: string, tokens: readonly Token[]): Promise<void> {
    const started = performance.now();
    let path: string | undefined;
    try {
      path = join(await this.makeDirectory(), `${++this.files}.state`);
      const { fileSize } = await slot.saveStateToFile(path);
      this.bytesPerToken = fileSize / tokens.length;
      if (!this.saved.fits(fileSize)) {
        await rm(path, { force: true });
        return;
      }
      const dropped = this.saved.add({ partition, tokens, path, bytes: fileSize });
      this.saves++;
      await Promise.all(dropped.map((e) => rm(e.path, { force: true })));
      this.options.log.debug({ tokens: tokens.length, bytes: fileSize, ms: Math.round(performance.now() - started) }, "prompt saved before its slot was reused");
    } catch (error) {
      this.failedAt = performance.now();
      if (path !== undefined) await rm(path, { force: true }).catch(() => undefined);
      this.options.log.warn({ err: error }, "could not save a prompt before reusing its slot");
    }
  }

  private async load(slot: LlamaContextSequence, entry: SavedPrefix, length: number): Promise<number> {
    const started = performance.now();
    const unpin = this.saved.pin(entry);
    try {
      // Loading from position 0 of an emptied sequence: nothing of what it held before can survive beside the state.
      if (slot.contextTokens.length > 0) await slot.clearHistory();
      await slot.loadStateFromFile(entry.path, { acceptRisk: true });
      this.loads++;
      this.options.log.debug({ tokens: length, ms: Math.round(performance.now() - started) }, "prompt loaded from the prompt cache");
      return length;
    } catch (error) {
      this.options.log.warn({ err: error }, "could not load a saved prompt");
      await slot.clearHistory();
      return 0;
    } finally {
      unpin();
    }
  }

  private makeDirectory(): Promise<string> {
    this.directory ??= (async () => {
      await mkdir(this.options.parentDir, { recursive: true });
      return mkdtemp(join(this.options.parentDir, OWN_PREFIX));
    })().catch((error: unknown) => {
      this.unusable = true;
      throw error;
    });
    return this.directory;
  }

  private track<T>(work: Promise<T>): Promise<T> {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work)).catch(() => undefined);
    return work;
  }
}

/**
 * Directories left by a LALS process on this host that no longer runs (killed before it could remove them). Named
 * by host and pid, so that machines or containers sharing the directory leave each other's alone; a directory with
 * this process's pid but not its start time is an earlier process's.
 */
export async function removeAbandonedDirectories(parentDir: string): Promise<void> {
  const names = await readdir(parentDir).catch(() => [] as string[]);
  const thisHost = `${DIRECTORY_PREFIX}${hostname()}-`;
  await Promise.all(names.map(async (name) => {
    if (!name.startsWith(thisHost) || name.startsWith(OWN_PREFIX)) return;
    // <pid>-<suffix> before processes named their start time, <pid>-t<start>-<suffix> since.
    const pid = Number(/^(\d+)-(?:t[0-9a-z]+-)?\w{6}$/.exec(name.slice(thisHost.length))?.[1]);
    if (!Number.isInteger(pid) || (pid !== process.pid && isRunning(pid))) return;
    await rm(join(parentDir, name), { recursive: true, force: true }).catch(() => undefined);
  }));
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
