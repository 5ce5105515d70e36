// The canonical chat request: what every protocol parses into and every engine reads. It belongs to no vendor.

export interface TextPart { type: "text"; text: string }
export interface ImagePart { type: "image"; mediaType?: string; data?: string; url?: string }
export interface ToolCallPart { type: "tool_call"; id: string; name: string; arguments: unknown }
export interface ToolResultPart { type: "tool_result"; toolCallId: string; content: TextPart[]; isError?: boolean }
export interface ThinkingPart { type: "thinking"; text: string; signature?: string }

export type ContentPart = TextPart | ImagePart | ToolCallPart | ToolResultPart | ThinkingPart;

export interface ChatMessage {
  role: "user" | "assistant" | "tool";
  content: ContentPart[];
}

export interface ToolDefinition {
  name: string;
  description?: string;
  /** JSON Schema of the arguments. */
  parameters: Record<string, unknown>;
}

export type ToolChoice = { type: "auto" } | { type: "none" } | { type: "required" } | { type: "tool"; name: string };

export type ResponseFormat =
  | { type: "text" }
  | { type: "json" }
  | { type: "json_schema"; name: string; schema: Record<string, unknown>; strict?: boolean };

export interface Sampling {
  /** Upper bound on generated tokens; the engine fills in what is left of the context when absent. */
  maxTokens?: number;
  temperature?: number;
  topP?: number;
  topK?: number;
  seed?: number;
  stop: string[];
  presencePenalty?: number;
  frequencyPenalty?: number;
  /** Drops tokens less likely than this fraction of the likeliest one's probability (llama.cpp's min-p). */
  minP?: number;
  /** llama.cpp's repeat penalty: logits of tokens among the reply's last `lastTokens` (Infinity: all of it) divided by `penalty`. */
  repeatPenalty?: { penalty: number; lastTokens?: number };
  /** Token id → additive logit bias, -100 banning the token. */
  logitBias?: Record<number, number>;
  /** Report each generated token's log-probability and the `top` likeliest alternatives (0–20); engines may not. */
  logprobs?: { top: number };
}

export interface ChatRequest {
  /** The model name the client asked for; responses echo it. */
  model: string;
  system: TextPart[];
  messages: ChatMessage[];
  /** Raw text to continue as is, without the chat template (legacy completions); `system` and `messages` are then empty. */
  prompt?: string;
  sampling: Sampling;
  tools: ToolDefinition[];
  toolChoice: ToolChoice;
  /** False when the reply may hold at most one tool call. */
  parallelToolCalls: boolean;
  responseFormat: ResponseFormat;
  /** Absent, or `enabled` absent: the server's default (MODEL_THINKING); a budget caps thinking either way. */
  thinking?: { enabled?: boolean; budgetTokens?: number };
  metadata: Record<string, unknown>;
  /** Parameters accepted but not honoured, reported back where the protocol has room for it. */
  warnings: string[];
  /** Who the request belongs to: slots reuse and report cached prefixes only within one partition. */
  partition?: string;
  /** A client's hint that requests with the same key share a prefix (Responses' prompt_cache_key): prefer the slot that served it. */
  promptCacheKey?: string;
}

/** Text parts as one string, a line apart. */
export function joinText(parts: readonly TextPart[]): string {
  return parts.map((p) => p.text).join("\n");
}

/** A request with every optional collection empty, to build on. */
export function emptyChatRequest(model: string): ChatRequest {
  return {
    model,
    system: [],
    messages: [],
    sampling: { stop: [] },
    tools: [],
    toolChoice: { type: "auto" },
    parallelToolCalls: true,
    responseFormat: { type: "text" },
    metadata: {},
    warnings: [],
  };
}
