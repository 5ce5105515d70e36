// The parts of a ChatRequest an engine's error can name, as `GatewayError.param`. They belong to no vendor: each
// protocol maps them to its own field names (protocols/wire-param.ts) before the error reaches its client.

export const REQUEST_PARAMS = {
  model: "model",
  /** The conversation; an index may follow (`messages[2].content`), counted as ChatRequest.messages counts. */
  messages: "messages",
  /** A raw completion's prompt. */
  prompt: "prompt",
  /** The structured-output request as a whole. */
  responseFormat: "response_format",
  /** The JSON schema of structured output. */
  responseSchema: "response_schema",
  toolChoice: "tool_choice",
  logitBias: "logit_bias",
  maxTokens: "max_tokens",
} as const;

export type RequestParam = (typeof REQUEST_PARAMS)[keyof typeof REQUEST_PARAMS];
