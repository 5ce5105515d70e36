// Ollama's tool messages name the tool they answer (`tool_name`), and only sometimes the call (`tool_call_id`); a
// canonical tool result needs the call's id. Calls are matched in order: the id when it names an unanswered call,
// else the earliest unanswered call of that name, else the earliest unanswered call.

export class PendingToolCalls {
  private readonly pending: { id: string; name: string }[] = [];

  add(id: string, name: string): void {
    this.pending.push({ id, name });
  }

  /** The id of the call a tool message answers, now answered; undefined when none is pending. */
  answer(toolCallId: string | undefined, toolName: string | undefined): string | undefined {
    let at = this.pending.findIndex((call) => call.id === toolCallId);
    if (at === -1) at = this.pending.findIndex((call) => call.name === toolName);
    if (at === -1) at = this.pending.length === 0 ? -1 : 0;
    if (at === -1) return undefined;
    return this.pending.splice(at, 1)[0]!.id;
  }
}

/** The id of a call the client sent without one: fixed by its place, so a conversation's prefix stays the same from turn to turn. */
export const positionalCallId = (message: number, call: number): string => `call_${message}_${call}`;
