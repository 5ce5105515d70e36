// The Responses API's state: finished responses kept for previous_response_id and the retrieve, delete and
// input_items endpoints. Bounded by entries, bytes and age (least recently used go first) and partitioned by owner
// (the API key's id, or the client's address without keys), so one key never reads another's responses. Each owner
// also has a quota of entries and bytes: past it, its own least recently used go, never another owner's, so one key
// flooding the store cannot push out the others' (the global bounds still hold over all owners together).
import { randomId } from "../../../core/ids.js";
import { ItemIndex } from "./item-index.js";
import type { WireResponse } from "./render-response.js";
import { inputItem, type InputItem } from "./schema.js";

export interface StoredResponse {
  response: WireResponse;
  /** This response's own input, every item with an id. */
  input: InputItem[];
  /** Everything a continuation sees: the previous conversation, this input, and this output, oldest first. */
  conversation: InputItem[];
}

export interface StoreLimits {
  maxEntries: number;
  maxBytes: number;
  /** Entries one owner may keep; OWNER_SHARE of maxEntries when not set. */
  maxEntriesPerOwner?: number;
  /** Bytes one owner may keep; OWNER_SHARE of maxBytes when not set. */
  maxBytesPerOwner?: number;
  /** How long a response is kept after it was stored, in ms. */
  maxAgeMs: number;
}

/** The share of the store's entries and bytes one owner gets when no quota is set: four busy keys fill it. */
export const OWNER_SHARE = 0.25;

export function withQuotas(limits: StoreLimits): Required<StoreLimits> {
  return {
    ...limits,
    maxEntriesPerOwner: limits.maxEntriesPerOwner ?? Math.max(1, Math.floor(limits.maxEntries * OWNER_SHARE)),
    maxBytesPerOwner: limits.maxBytesPerOwner ?? Math.max(1, Math.floor(limits.maxBytes * OWNER_SHARE)),
  };
}

export const DEFAULT_STORE_LIMITS: StoreLimits = { maxEntries: 1000, maxBytes: 256 * 1024 * 1024, maxAgeMs: 6 * 60 * 60 * 1000 };

interface Held {
  owner: string;
  key: string;
  entry: StoredResponse;
  bytes: number;
  expiresAt: number;
}

/** What one owner holds, least recently used first. */
interface OwnerShare {
  entries: Map<string, Held>;
  bytes: number;
}

export interface StoreUsage {
  entries: number;
  bytes: number;
  /** Distinct referenceable items indexed (the whole store's). */
  items: number;
}

/**
 * Where finished responses are kept, as the endpoints use it: this process's ResponseStore (localResponsesStore) or
 * Redis, shared by every instance (redis-store.ts). Both keep the same bounds and per-owner quotas.
 */
export interface ResponsesStore {
  put(owner: string, entry: StoredResponse): Promise<void>;
  get(owner: string, id: string): Promise<StoredResponse | undefined>;
  delete(owner: string, id: string): Promise<boolean>;
  /** Those of `ids` that name items of the owner's stored responses. */
  items(owner: string, ids: readonly string[]): Promise<Map<string, InputItem>>;
}

export function localResponsesStore(store: ResponseStore): ResponsesStore {
  return {
    put: async (owner, entry) => store.put(owner, entry),
    get: async (owner, id) => store.get(owner, id),
    delete: async (owner, id) => store.delete(owner, id),
    async items(owner, ids) {
      return new Map(ids.flatMap((id) => {
        const item = store.item(owner, id);
        return item === undefined ? [] : [[id, item] as const];
      }));
    },
  };
}

export class ResponseStore {
  /** Every entry, least recently used first (a Map keeps insertion order; a use re-inserts). */
  private readonly all = new Map<string, Held>();
  /** Every entry in the order it was stored, which is the order it expires in. */
  private readonly byAge = new Map<string, Held>();
  private readonly owners = new Map<string, OwnerShare>();
  private readonly items = new ItemIndex();
  private readonly limits: Required<StoreLimits>;
  private bytes = 0;

  constructor(limits: StoreLimits = DEFAULT_STORE_LIMITS) {
    this.limits = withQuotas(limits);
  }

  /** Stores `entry`, first evicting the owner's own oldest past its quota, then the oldest of all past the store's bounds. */
  put(owner: string, entry: StoredResponse): void {
    this.expire();
    const entryKey = key(owner, entry.response.id);
    this.remove(this.all.get(entryKey));
    const bytes = Math.max(1, Buffer.byteLength(JSON.stringify(entry)));
    // One that could never fit is not kept, and costs no one else theirs.
    if (bytes > this.limits.maxBytesPerOwner || bytes > this.limits.maxBytes) return;
    const held: Held = { owner, key: entryKey, entry, bytes, expiresAt: Date.now() + this.limits.maxAgeMs };
    const share = this.owners.get(owner) ?? { entries: new Map<string, Held>(), bytes: 0 };
    this.owners.set(owner, share);
    share.entries.set(entryKey, held);
    share.bytes += bytes;
    this.all.set(entryKey, held);
    this.byAge.set(entryKey, held);
    this.bytes += bytes;
    this.items.add(owner, entry.conversation);
    while (share.entries.size > this.limits.maxEntriesPerOwner || share.bytes > this.limits.maxBytesPerOwner) this.remove(first(share.entries));
    while (this.all.size > this.limits.maxEntries || this.bytes > this.limits.maxBytes) this.remove(first(this.all));
  }

  get(owner: string, id: string): StoredResponse | undefined {
    this.expire();
    const held = this.all.get(key(owner, id));
    if (held === undefined) return undefined;
    this.touch(held);
    return held.entry;
  }

  delete(owner: string, id: string): boolean {
    this.expire();
    const held = this.all.get(key(owner, id));
    this.remove(held);
    return held !== undefined;
  }

  /** An item (input or output) of one of the owner's stored responses, by its id: one index lookup. */
  item(owner: string, id: string): InputItem | undefined {
    this.expire();
    return this.items.get(owner, id);
  }

  /** Entries and bytes held by `owner`, or by the whole store. */
  usage(owner?: string): StoreUsage {
    this.expire();
    if (owner === undefined) return { entries: this.all.size, bytes: this.bytes, items: this.items.size };
    const share = this.owners.get(owner);
    return { entries: share?.entries.size ?? 0, bytes: share?.bytes ?? 0, items: this.items.size };
  }

  /** Removes the entries past their age, oldest first: each is met once, so this costs nothing when none is due. */
  private expire(): void {
    const now = Date.now();
    for (let oldest = first(this.byAge); oldest !== undefined && oldest.expiresAt <= now; oldest = first(this.byAge)) this.remove(oldest);
  }

  private touch(held: Held): void {
    const share = this.owners.get(held.owner);
    this.all.delete(held.key);
    this.all.set(held.key, held);
    share?.entries.delete(held.key);
    share?.entries.set(held.key, held);
  }

  private remove(held: Held | undefined): void {
    if (held === undefined || this.all.get(held.key) !== held) return;
    this.all.delete(held.key);
    this.byAge.delete(held.key);
    this.bytes -= held.bytes;
    const share = this.owners.get(held.owner);
    if (share !== undefined) {
      share.entries.delete(held.key);
      share.bytes -= held.bytes;
      if (share.entries.size === 0) this.owners.delete(held.owner);
    }
    this.items.remove(held.owner, held.entry.conversation);
  }
}

const key = (owner: string, id: string): string => `${owner}\u0000${id}`;

const first = <V>(map: Map<string, V>): V | undefined => map.values().next().value;

const ID_PREFIXES: Record<InputItem["type"], string> = {
  message: "msg", function_call: "fc", function_call_output: "fco", custom_tool_call: "ctc", custom_tool_call_output: "ctco",
  reasoning: "rs", item_reference: "ref", additional_tools: "at", unsupported: "item",
};

/** A message's text content as the parts OpenAI lists it with (typed SDK clients read `content[i].text`). */
function withParts(item: InputItem): InputItem {
  if (item.type !== "message" || typeof item.content !== "string") return item;
  const part = item.role === "assistant" ? { type: "output_text" as const, text: item.content, annotations: [] } : { type: "input_text" as const, text: item.content };
  return { ...item, content: [part] };
}

/** The items as OpenAI lists them: message content as parts, and an id each (ones the client left without get a new one). */
export function withIds(items: readonly InputItem[]): InputItem[] {
  return items.map(withParts).map((item) => ("id" in item && typeof item.id === "string" ? item : { ...item, id: `${ID_PREFIXES[item.type]}_${randomId(40)}` }) as InputItem);
}

/** A response's output items as input items, for the conversation a continuation reads. */
export function outputAsInput(response: WireResponse): InputItem[] {
  return response.output.flatMap((item) => {
    const parsed = inputItem.safeParse(item);
    return parsed.success ? [parsed.data] : [];
  });
}

export interface ItemPage {
  object: "list";
  data: InputItem[];
  first_id: string | null;
  last_id: string | null;
  has_more: boolean;
}

/** One page of items: newest first unless `order` is asc, starting after the item `after`. */
export function pageItems(items: readonly InputItem[], options: { order: "asc" | "desc"; after?: string; limit: number }): ItemPage {
  const ordered = options.order === "desc" ? [...items].reverse() : [...items];
  const idOf = (item: InputItem): string => ("id" in item && typeof item.id === "string" ? item.id : "");
  const start = options.after === undefined ? 0 : ordered.findIndex((item) => idOf(item) === options.after) + 1;
  const data = start === 0 && options.after !== undefined ? [] : ordered.slice(start, start + options.limit);
  const first = data[0];
  const last = data.at(-1);
  return {
    object: "list",
    data,
    first_id: first === undefined ? null : idOf(first),
    last_id: last === undefined ? null : idOf(last),
    has_more: start + data.length < ordered.length,
  };
}
