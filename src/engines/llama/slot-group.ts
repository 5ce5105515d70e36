// The slots of one multi-generation request (OpenAI's `n`, a list of prompts), acquired together by whichever
// member asks first and handed to the members one each.

export interface SlotGroupOptions<S> {
  /** Members of the group: slots acquired at once, less those forfeited before. */
  size: number;
  /** Takes `count` slots together (SlotScheduler.acquireMany). */
  acquire: (count: number) => Promise<S[]>;
  /** Gives back a slot a member forfeited after the acquisition. */
  release: (slot: S) => void;
}

export class SlotGroup<S> {
  private slots: Promise<S[]> | undefined;
  private taken = 0;
  private forfeited = 0;

  constructor(private readonly options: SlotGroupOptions<S>) {}

  /** This member's slot; the first call acquires every member's at once. */
  take(): Promise<S> {
    this.slots ??= this.options.acquire(this.options.size - this.forfeited);
    const index = this.taken++;
    return this.slots.then((slots) => slots[index]!);
  }

  /** A member that fails before taking its slot gives it up, so none is held for nobody. */
  forfeit(): void {
    if (this.slots === undefined) {
      this.forfeited++;
      return;
    }
    const index = this.taken++;
    this.slots.then((slots) => this.options.release(slots[index]!), () => undefined);
  }
}
