// The prompt cache's files: one directory per cache key (cache-identity.ts), 0700, holding each saved sequence state
// (`<id>.state`) beside a record of what it holds (`<id>.json`: partition, tokens, size, SHA-256), both 0600, the id
// being a digest of the partition and the tokens. The directory outlives the process, so the next one starts warm;
// it is owned by one process at a time through a lock file the owner refreshes. A process that cannot own it (another
// LALS on the same directory and model) keeps a directory of its own for its lifetime, removed when it stops.
//
// What is on disk is checked before it is believed: at open, a record that does not parse, names another prefix than
// its id, or whose state file has another size is deleted with its state, as are states without a record and files
// half written; before a state is first read, its SHA-256 must match the record's.
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { chmod, mkdir, mkdtemp, readdir, readFile, rename, rm, stat, utimes, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import type { Token } from "node-llama-cpp";
import type { Logger } from "pino";
import { OWN_PREFIX, isRunning } from "./abandoned-directories.js";

const RECORD_VERSION = 1;
const OWNER_FILE = "owner";
/** The owner refreshes its lock this often; one not refreshed for STALE_AFTER_MS belongs to a process that is gone. */
const HEARTBEAT_MS = 20_000;
const STALE_AFTER_MS = 90_000;
/** A record is a few bytes per token: anything larger is not one of ours. */
const MAX_RECORD_BYTES = 16 << 20;

export interface StoredState {
  id: string;
  partition: string;
  tokens: readonly Token[];
  /** The state file. */
  path: string;
  bytes: number;
  sha256: string;
  /** Whether its content has been checked against the record (states written by this process need not be). */
  checked: boolean;
}

interface Owner {
  host: string;
  pid: number;
  start: number;
}

const me: Owner = { host: hostname(), pid: process.pid, start: Math.round(performance.timeOrigin) };

export class PromptStore {
  private heartbeat: NodeJS.Timeout | undefined;
  private written = 0;

  private constructor(readonly directory: string, readonly persistent: boolean, private readonly log: Logger) {
    if (persistent) {
      const ownerFile = join(directory, OWNER_FILE);
      this.heartbeat = setInterval(() => void utimes(ownerFile, new Date(), new Date()).catch(() => undefined), HEARTBEAT_MS).unref();
    }
  }

  /** The store of `key` under `parentDir`: its persistent directory when this process can own it, else one of its own. */
  static async open(parentDir: string, key: string, log: Logger): Promise<PromptStore> {
    await mkdir(parentDir, { recursive: true, mode: 0o700 });
    const directory = join(parentDir, key);
    await mkdir(directory, { recursive: true, mode: 0o700 });
    await chmod(directory, 0o700);
    if (await takeOwnership(directory)) return new PromptStore(directory, true, log);
    log.info({ directory }, "another LALS keeps this model's saved prompts: this process keeps its own until it stops");
    return new PromptStore(await mkdtemp(join(parentDir, OWN_PREFIX)), false, log);
  }

  /** What a persistent directory holds that passes the checks, least recently used first; everything else is deleted. */
  async scan(): Promise<StoredState[]> {
    if (!this.persistent) return [];
    const names = await readdir(this.directory);
    const states: Array<StoredState & { usedAt: number }> = [];
    const kept = new Set<string>([OWNER_FILE]);
    for (const name of names.filter((n) => n.endsWith(".json"))) {
      const state = await this.readRecord(name.slice(0, -".json".length));
      if (state === undefined) continue;
      states.push(state);
      kept.add(name).add(`${state.id}.state`);
    }
    const stray = names.filter((name) => !kept.has(name));
    await Promise.all(stray.map((name) => rm(join(this.directory, name), { force: true, recursive: true })));
    if (stray.length > 0) this.log.info({ files: stray.length }, "prompt cache: removed files that were not whole saved states");
    return states.sort((a, b) => a.usedAt - b.usedAt);
  }

  /** Where a new state is written before commit() makes it part of the store. */
  pendingPath(): string {
    return join(this.directory, `${++this.written}.${process.pid}.tmp`);
  }

  /** Makes the state written at `pending` the store's: hashed, recorded, renamed to its id; 0600. */
  async commit(pending: string, partition: string, tokens: readonly Token[]): Promise<StoredState> {
    const id = stateId(partition, tokens);
    const path = join(this.directory, `${id}.state`);
    const [{ size }, sha256] = await Promise.all([stat(pending), fileDigest(pending)]);
    await chmod(pending, 0o600);
    const record = join(this.directory, `${id}.json`);
    await writeFile(`${record}.tmp`, JSON.stringify({ version: RECORD_VERSION, partition, tokens, bytes: size, sha256 }), { mode: 0o600 });
    // The state first: a record is only ever beside the state it describes.
    await rename(pending, path);
    await rename(`${record}.tmp`, record);
    return { id, partition, tokens, path, bytes: size, sha256, checked: true };
  }

  /** Whether the state file is still what its record says; a state that is not is deleted. */
  async check(state: StoredState): Promise<boolean> {
    if (state.checked) return true;
    const size = await stat(state.path).then((s) => s.size, () => -1);
    const matches = size === state.bytes && (await fileDigest(state.path).catch(() => "")) === state.sha256;
    if (!matches) {
      this.log.warn({ file: state.path }, "a saved prompt did not match its record: deleted, not loaded");
      await this.remove(state);
      return false;
    }
    state.checked = true;
    return true;
  }

  /** Deletes what a save that did not complete left. */
  async removePending(pending: string): Promise<void> {
    await rm(pending, { force: true });
  }

  /** Marks a state as just used, for the order the next process drops states in. */
  async touch(state: StoredState): Promise<void> {
    const now = new Date();
    await utimes(join(this.directory, `${state.id}.json`), now, now).catch(() => undefined);
  }

  async remove(state: StoredState): Promise<void> {
    await rm(join(this.directory, `${state.id}.json`), { force: true });
    await rm(state.path, { force: true });
  }

  /** Stops refreshing the lock and gives it up; a directory of this process's own is removed with what it holds. */
  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    if (!this.persistent) return void (await rm(this.directory, { recursive: true, force: true }).catch(() => undefined));
    if (ownedByMe(await readOwner(this.directory))) await rm(join(this.directory, OWNER_FILE), { force: true });
  }

  private async readRecord(id: string): Promise<(StoredState & { usedAt: number }) | undefined> {
    const record = join(this.directory, `${id}.json`);
    const path = join(this.directory, `${id}.state`);
    try {
      const recordStat = await stat(record);
      if (recordStat.size > MAX_RECORD_BYTES) return undefined;
      const parsed = JSON.parse(await readFile(record, "utf8")) as Record<string, unknown>;
      const { version, partition, tokens, bytes, sha256 } = parsed;
      const valid = version === RECORD_VERSION && typeof partition === "string" && Array.isArray(tokens)
        && tokens.every((t) => Number.isInteger(t) && (t as number) >= 0) && typeof sha256 === "string" && /^[0-9a-f]{64}$/.test(sha256)
        && Number.isInteger(bytes) && stateId(partition, tokens as Token[]) === id && (await stat(path)).size === bytes;
      if (!valid) return undefined;
      return { id, partition: partition as string, tokens: tokens as Token[], path, bytes: bytes as number, sha256: sha256 as string, checked: false, usedAt: recordStat.mtimeMs };
    } catch {
      return undefined;
    }
  }
}

/** A digest of a prefix and whose it is: the name its state is kept under. */
export function stateId(partition: string, tokens: readonly Token[]): string {
  return createHash("sha256").update(partition).update("\0").update(Uint32Array.from(tokens)).digest("hex").slice(0, 40);
}

function fileDigest(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash("sha256");
    createReadStream(path, { highWaterMark: 1 << 20 })
      .on("data", (chunk) => hash.update(chunk))
      .on("error", reject)
      .on("end", () => resolve(hash.digest("hex")));
  });
}

async function readOwner(directory: string): Promise<(Owner & { beatAt: number }) | undefined> {
  const file = join(directory, OWNER_FILE);
  try {
    const [content, { mtimeMs }] = await Promise.all([readFile(file, "utf8"), stat(file)]);
    const owner = JSON.parse(content) as Owner;
    return { ...owner, beatAt: mtimeMs };
  } catch {
    return undefined;
  }
}

const ownedByMe = (owner: Owner | undefined): boolean => owner?.host === me.host && owner.pid === me.pid && owner.start === me.start;

/** Whether the lock is held by a process that still runs (on this host: checked; elsewhere: refreshed lately). */
export async function ownedByAnother(directory: string): Promise<Owner | undefined> {
  const owner = await readOwner(directory);
  if (owner === undefined || ownedByMe(owner)) return undefined;
  const gone = Date.now() - owner.beatAt > STALE_AFTER_MS
    || (owner.host === me.host && (owner.pid === me.pid || !isRunning(owner.pid)));
  return gone ? undefined : owner;
}

async function takeOwnership(directory: string): Promise<boolean> {
  const file = join(directory, OWNER_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(file, JSON.stringify(me), { flag: "wx", mode: 0o600 });
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      if (await ownedByAnother(directory)) return false;
      await rm(file, { force: true });
    }
  }
  return false;
}
