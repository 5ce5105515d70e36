// Canonical ChatResult → OpenAI chat.completion JSON.
import type { ChatCompletion } from "openai/resources/chat/completions";
import type { StopReason } from "../../../core/chat-event.js";
import { resultLogprobs, resultText, type ChatResult } from "../../../core/collect.js";
import { vendorToolId } from "../../../core/ids.js";
import { renderTokenLogprobs } from "../logprobs.js";
import { renderUsage } from "../usage.js";

/** Reasoning travels under both names clients read today: `reasoning_content` (llama-server, DeepSeek) and `reasoning` (vLLM, Ollama). */
export interface ReasoningFields {
  reasoning_content?: string;
  reasoning?: string;
}

export type ChatCompletionWithReasoning = ChatCompletion & {
  choices: Array<ChatCompletion.Choice & { message: ChatCompletion.Choice["message"] & ReasoningFields }>;
};

export interface ResponseIdentity {
  id: string;
  model: string;
  /** Unix seconds. */
  created: number;
  systemFingerprint: string;
}

export function finishReason(stop: StopReason): ChatCompletion.Choice["finish_reason"] {
  switch (stop) {
    case "end_turn":
    case "stop_sequence":
      return "stop";
    case "max_tokens":
      return "length";
    case "tool_use":
      return "tool_calls";
    default: {
      const never: never = stop;
      throw new Error(`unknown stop reason ${String(never)}`);
    }
  }
}

/** `logprobs`: whether the request asked for them (each choice then carries its tokens', possibly none). */
export function renderChatCompletion(results: readonly ChatResult[], identity: ResponseIdentity, { logprobs = false } = {}): ChatCompletionWithReasoning {
  return {
    id: identity.id,
    object: "chat.completion",
    created: identity.created,
    model: identity.model,
    system_fingerprint: identity.systemFingerprint,
    choices: results.map((result, index) => renderChoice(result, index, logprobs)),
    usage: renderUsage(results.map((r) => r.usage)),
  };
}

function renderChoice(result: ChatResult, index: number, logprobs: boolean): ChatCompletionWithReasoning["choices"][number] {
  const text = resultText(result);
  const reasoning = result.blocks.map((b) => (b.kind === "thinking" ? b.text : "")).join("");
  const toolCalls = result.blocks.flatMap((b) => (b.kind === "tool_call"
    ? [{ id: vendorToolId("call_", b.id), type: "function" as const, function: { name: b.name, arguments: b.arguments } }]
    : []));
  return {
    index,
    message: {
      role: "assistant",
      content: text === "" && toolCalls.length > 0 ? null : text,
      refusal: null,
      ...(reasoning === "" ? {} : { reasoning_content: reasoning, reasoning }),
      ...(toolCalls.length === 0 ? {} : { tool_calls: toolCalls }),
    },
    logprobs: logprobs ? { content: renderTokenLogprobs(resultLogprobs(result)), refusal: null } : null,
    finish_reason: finishReason(result.stopReason),
  };
}
