// Canonical ChatResults → Gemini's GenerateContentResponse, one candidate per result.
import type * as genai from "@google/genai";
import type { StopReason, TokenLogprob, Usage } from "../../../core/chat-event.js";
import { resultLogprobs, type ChatResult, type ResultBlock } from "../../../core/collect.js";
import type { FinishReason, GeminiCandidate, GeminiPart, GeminiResponse, UsageMetadata } from "../wire-types.js";

export interface ResponseIdentity {
  /** The model name the client asked for: Gemini's modelVersion. */
  model: string;
  responseId: string;
  includeThoughts: boolean;
  /** Whether the request asked for log-probabilities (responseLogprobs). */
  logprobs: boolean;
}

/** Gemini stops with STOP on a natural end, a stop sequence and a function call alike. */
export function finishReason(stop: StopReason): FinishReason {
  switch (stop) {
    case "end_turn":
    case "stop_sequence":
    case "tool_use":
      return "STOP";
    case "max_tokens":
      return "MAX_TOKENS";
    default: {
      const never: never = stop;
      throw new Error(`unknown stop reason ${String(never)}`);
    }
  }
}

/** Every candidate reads the same prompt: it is counted once, every candidate's output added up. Gemini counts thoughts apart from candidates. */
export function renderUsage(usages: readonly Usage[]): UsageMetadata {
  const prompt = usages[0]?.inputTokens ?? 0;
  const cached = usages[0]?.cachedTokens ?? 0;
  const output = usages.reduce((sum, u) => sum + u.outputTokens, 0);
  const thoughts = usages.reduce((sum, u) => sum + (u.thinkingTokens ?? 0), 0);
  return {
    promptTokenCount: prompt,
    candidatesTokenCount: output - thoughts,
    totalTokenCount: prompt + output,
    ...(thoughts > 0 ? { thoughtsTokenCount: thoughts } : {}),
    ...(cached > 0 ? { cachedContentTokenCount: cached } : {}),
  };
}

/**
 * A tool call's arguments as the object Gemini sends; undefined when they are not a whole JSON object (a call cut
 * off by max tokens), which is then left out rather than sent as a call with arguments it never had.
 */
export function parseArgs(json: string): Record<string, unknown> | undefined {
  try {
    const args: unknown = json === "" ? {} : JSON.parse(json);
    return typeof args === "object" && args !== null && !Array.isArray(args) ? args as Record<string, unknown> : undefined;
  } catch {
    return undefined;
  }
}

export function renderPart(block: ResultBlock, includeThoughts: boolean): GeminiPart | undefined {
  switch (block.kind) {
    case "text":
      return block.text === "" ? undefined : { text: block.text };
    case "thinking":
      return includeThoughts && block.text !== "" ? { text: block.text, thought: true } : undefined;
    case "tool_call": {
      const args = parseArgs(block.arguments);
      return args === undefined ? undefined : { functionCall: { id: block.id, name: block.name, args } };
    }
    default: {
      const never: never = block;
      throw new Error(`unknown block ${JSON.stringify(never)}`);
    }
  }
}

/** Gemini's logprobsResult: the chosen token and the likeliest ones at each step. */
export function renderLogprobs(logprobs: readonly TokenLogprob[]): genai.LogprobsResult {
  return {
    chosenCandidates: logprobs.map((l) => ({ token: l.token, logProbability: l.logprob })),
    topCandidates: logprobs.map((l) => ({ candidates: l.top.map((t) => ({ token: t.token, logProbability: t.logprob })) })),
  };
}

function renderCandidate(result: ChatResult, index: number, identity: ResponseIdentity): GeminiCandidate {
  const logprobs = resultLogprobs(result);
  const parts = result.blocks.flatMap((block) => renderPart(block, identity.includeThoughts) ?? []);
  return {
    // An empty text part rather than none, as in the stream: Google's chat drops a turn without parts from its history.
    content: { role: "model", parts: parts.length === 0 ? [{ text: "" }] : parts },
    finishReason: finishReason(result.stopReason),
    index,
    ...(identity.logprobs ? {
      logprobsResult: renderLogprobs(logprobs),
      ...(logprobs.length === 0 ? {} : { avgLogprobs: logprobs.reduce((sum, l) => sum + l.logprob, 0) / logprobs.length }),
    } : {}),
  };
}

export function renderGenerateContent(results: readonly ChatResult[], identity: ResponseIdentity): GeminiResponse {
  return {
    candidates: results.map((result, index) => renderCandidate(result, index, identity)),
    usageMetadata: renderUsage(results.map((r) => r.usage)),
    modelVersion: identity.model,
    responseId: identity.responseId,
  };
}
