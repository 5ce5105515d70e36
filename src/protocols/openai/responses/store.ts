// The Responses API's state: finished responses kept for previous_response_id and the retrieve, delete and
// input_items endpoints. Bounded by entries, bytes and age (least recently used go first) and partitioned by owner
// (the API key's id), so one key never reads another's responses.
import { LRUCache } from "lru-cache";
import { randomId } from "../../../core/ids.js";
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
  /** How long a response is kept after it was stored, in ms. */
  maxAgeMs: number;
}

export const DEFAULT_STORE_LIMITS: StoreLimits = { maxEntries: 1000, maxBytes: 256 * 1024 * 1024, maxAgeMs: 6 * 60 * 60 * 1000 };

export class ResponseStore {
  private readonly entries: LRUCache<string, StoredResponse>;

  constructor(limits: StoreLimits = DEFAULT_STORE_LIMITS) {
    this.entries = new LRUCache<string, StoredResponse>({
      max: limits.maxEntries,
      maxSize: limits.maxBytes,
      sizeCalculation: (entry) => Math.max(1, Buffer.byteLength(JSON.stringify(entry))),
      ttl: limits.maxAgeMs,
    });
  }

  put(owner: string, entry: StoredResponse): void {
    this.entries.set(key(owner, entry.response.id), entry);
  }

  get(owner: string, id: string): StoredResponse | undefined {
    return this.entries.get(key(owner, id));
  }

  delete(owner: string, id: string): boolean {
    return this.entries.delete(key(owner, id));
  }

  /** An item (input or output) of one of the owner's stored responses, by its id. */
  item(owner: string, id: string): InputItem | undefined {
    const prefix = key(owner, "");
    for (const [entryKey, entry] of this.entries.entries()) {
      if (!entryKey.startsWith(prefix)) continue;
      const found = entry.conversation.find((item) => item.type !== "item_reference" && "id" in item && item.id === id);
      if (found !== undefined) return found;
    }
    return undefined;
  }
}

const key = (owner: string, id: string): string => `${owner}\u0000${id}`;

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
