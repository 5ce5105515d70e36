// Canonical events of one or several candidates → streamGenerateContent chunks. Each chunk is a GenerateContentResponse
// holding only what is new: a text delta as a text part, a thought as a `thought` part (when the request asked for
// them), a function call whole once its arguments are complete. A candidate's last chunk carries its finishReason, and
// the last of all the usage. A failure after the stream began is an error object in the stream, as Google sends one.
import type { ChatEvent, TokenLogprob, Usage } from "../../../core/chat-event.js";
import { toGatewayError, type GatewayError } from "../../../core/gateway-error.js";
import type { Indexed } from "../../../core/merge-streams.js";
import { geminiError } from "../errors.js";
import type { GeminiCandidate, GeminiPart, GeminiResponse } from "../wire-types.js";
import { finishReason, parseArgs, renderLogprobs, renderUsage, type ResponseIdentity } from "./render-response.js";
import { ChunkWriter, type Framing } from "./stream-framing.js";

export interface StreamOptions extends ResponseIdentity {
  framing: Framing;
  /** How many candidates the events carry (candidateCount). */
  candidates: number;
}

interface OpenCall {
  id: string;
  name: string;
  json: string;
}

export async function* renderGenerateContentStream(events: AsyncIterable<Indexed<ChatEvent>>, options: StreamOptions): AsyncGenerator<string> {
  const writer = new ChunkWriter(options.framing);
  const chunk = (candidate: GeminiCandidate, usage?: readonly Usage[]): string => {
    const body: GeminiResponse = {
      candidates: [candidate],
      ...(usage === undefined ? {} : { usageMetadata: renderUsage(usage) }),
      modelVersion: options.model,
      responseId: options.responseId,
    };
    return writer.chunk(body);
  };
  const parts = (index: number, list: GeminiPart[], logprobs?: TokenLogprob[]): string =>
    chunk({ content: { role: "model", parts: list }, index, ...(options.logprobs && logprobs !== undefined ? { logprobsResult: renderLogprobs(logprobs) } : {}) });
  const error = (e: GatewayError): string => writer.chunk(geminiError(e).body) + writer.close();

  // Per candidate, the tool calls whose arguments are still arriving, by block index.
  const calls = new Map<number, Map<number, OpenCall>>();
  const usages: Usage[] = [];
  let ended = 0;
  const opening = writer.open();
  if (opening !== "") yield opening;
  try {
    for await (const { index: candidate, value: event } of events) {
      const open = calls.get(candidate) ?? new Map<number, OpenCall>();
      calls.set(candidate, open);
      switch (event.type) {
        case "start":
          break;
        case "block_start":
          if (event.kind === "tool_call") open.set(event.index, { id: event.toolCallId, name: event.name, json: "" });
          break;
        case "text_delta":
          if (event.text !== "") yield parts(candidate, [{ text: event.text }], event.logprobs);
          break;
        case "thinking_delta":
          if (options.includeThoughts && event.text !== "") yield parts(candidate, [{ text: event.text, thought: true }]);
          break;
        case "tool_args_delta": {
          const call = open.get(event.index);
          if (call !== undefined) call.json += event.json;
          break;
        }
        case "block_end": {
          const call = open.get(event.index);
          if (call === undefined) break;
          open.delete(event.index);
          const args = parseArgs(call.json);
          if (args !== undefined) yield parts(candidate, [{ functionCall: { id: call.id, name: call.name, args } }]);
          break;
        }
        case "end": {
          usages[candidate] = event.usage;
          const last = ++ended === options.candidates;
          // An empty text part: Google's SDK takes a chunk without parts for an invalid reply and drops the turn from a chat's history.
          yield chunk({ content: { role: "model", parts: [{ text: "" }] }, finishReason: finishReason(event.stopReason), index: candidate }, last ? usages : undefined);
          if (!last) break;
          yield writer.close();
          return;
        }
        case "error":
          yield error(event.error);
          return;
        default: {
          const never: never = event;
          throw new Error(`unknown event ${JSON.stringify(never)}`);
        }
      }
    }
  } catch (caught) {
    yield error(toGatewayError(caught));
  }
}
