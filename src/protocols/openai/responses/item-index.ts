// The items of stored responses by id, so an item_reference is one lookup, not a walk over every stored conversation.
// A chain of responses repeats its history in each one's conversation, so an item is counted once per response that
// carries it and stays findable until the last of them goes; the index holds one entry per distinct item, not per copy.
import type { InputItem } from "./schema.js";

/** The id an item is referenced by; item references themselves are never targets. */
export function referenceableId(item: InputItem): string | undefined {
  return item.type !== "item_reference" && "id" in item && typeof item.id === "string" ? item.id : undefined;
}

interface Indexed {
  item: InputItem;
  /** Copies held by stored responses. */
  copies: number;
}

export class ItemIndex {
  private readonly byKey = new Map<string, Indexed>();

  /** Notes the referenceable items of a stored response; an id reused with other content names the latest. */
  add(partition: string, items: readonly InputItem[]): void {
    for (const item of items) {
      const id = referenceableId(item);
      if (id === undefined) continue;
      const itemKey = indexKey(partition, id);
      const indexed = this.byKey.get(itemKey);
      if (indexed === undefined) this.byKey.set(itemKey, { item, copies: 1 });
      else {
        indexed.item = item;
        indexed.copies++;
      }
    }
  }

  /** Forgets the items of a response no longer stored (the same list `add` was given); an item no other carries is gone. */
  remove(partition: string, items: readonly InputItem[]): void {
    for (const item of items) {
      const id = referenceableId(item);
      if (id === undefined) continue;
      const itemKey = indexKey(partition, id);
      const indexed = this.byKey.get(itemKey);
      if (indexed === undefined) continue;
      if (--indexed.copies === 0) this.byKey.delete(itemKey);
    }
  }

  get(partition: string, id: string): InputItem | undefined {
    return this.byKey.get(indexKey(partition, id))?.item;
  }

  /** Distinct items held. */
  get size(): number {
    return this.byKey.size;
  }
}

const indexKey = (partition: string, id: string): string => `${partition}\u0000${id}`;
