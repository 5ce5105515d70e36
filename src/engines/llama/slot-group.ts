// The slots of one multi-generation request (OpenAI's `n`, a list of prompts), acquired together by whichever
// member asks first and handed to the members one each.

export class SlotGroup<S> {
  private slots: Promise<S[]> | undefined;
  private taken = 0;
  private forfeited = 0;

  constructor(
    private readonly size: number,
    private readonly acquire: (count: number) => Promise<S[]>,
    private readonly release: (slot: S) => void,
  ) {}

  /** This member's slot; the first call acquires every member's at once. */
  take(): Promise<S> {
    this.slots ??= this.acquire(this.size - this.forfeited);
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
    this.slots.then((slots) => this.release(slots[index]!), () => undefined);
  }
}
