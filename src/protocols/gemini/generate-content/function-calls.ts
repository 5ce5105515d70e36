// Gemini's function calls may come without an id, and a function response names its call by id or only by the
// function's name; a canonical tool call needs an id and its result must point at it. Ids for calls without one derive
// from the call's place in the conversation, so the same history gets the same ids on every request.
import { GatewayError } from "../../../core/gateway-error.js";

interface Call {
  id: string;
  name: string;
  answered: boolean;
}

/** The id of the call at part `part` of content `content` that came without one. */
export const syntheticCallId = (content: number, part: number): string => `gemini_call_${content}_${part}`;

/** The calls of the conversation so far, to match each function response with. */
export class FunctionCalls {
  private readonly byId = new Map<string, Call>();
  /** The latest model turn's calls, in order. */
  private latest: Call[] = [];

  /** A model turn begins: its calls replace the previous turn's as the ones responses by name refer to. */
  startModelTurn(): void {
    this.latest = [];
  }

  /** Records a call of the current model turn; returns its canonical id. */
  add(id: string | undefined, name: string, content: number, part: number): string {
    const call = { id: id ?? syntheticCallId(content, part), name, answered: false };
    this.byId.set(call.id, call);
    this.latest.push(call);
    return call.id;
  }

  /** The id of the call a response answers: the unanswered call of its id, else the latest turn's first unanswered call of its name. */
  answer(id: string | undefined, name: string, param: string): string {
    const byId = id === undefined ? undefined : this.byId.get(id);
    const call = byId !== undefined && !byId.answered ? byId : this.latest.find((c) => c.name === name && !c.answered);
    if (call === undefined) {
      throw new GatewayError("invalid_request", `${param}: no earlier functionCall of '${name}'${id === undefined ? "" : ` or with the id '${id}'`} is left to answer.`, { param });
    }
    call.answered = true;
    return call.id;
  }
}
