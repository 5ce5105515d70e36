// Every bound on what one request may hold, in one place; README's "Limits and security" lists them. Each is checked
// before any work that costs more than reading the body once, and a request past one is a 400 (413 for sizes) naming the
// field and the limit. Vendors' own numbers are used where they document one, so a client that works against the vendor
// is never refused here.

/** Structured-output and tool schemas: OpenAI's documented limits for strict schemas. */
export interface SchemaLimits {
  /** Levels of nested subschemas (properties, items, $defs…); combinators (anyOf…) add none. */
  depth: number;
  /** Object properties across the whole schema. */
  properties: number;
  /** Enum values across the whole schema. */
  enumValues: number;
  /** Characters of property names, $defs names, enum and const values together. */
  chars: number;
  /** Value of a minimum count (minItems, minLength, minProperties): llama.cpp writes a grammar rule out once per unit of
   * it and refuses more than about 1,000 (a string's maxLength of 1,001 already). A maximum past it is left unenforced. */
  count: number;
  /** Counts (minima and maxima within `count`) added up across the schema: ~100 bytes of grammar rules each, built on
   * every request with tools. */
  counts: number;
}

export const LIMITS = {
  /** Bytes of a request body; a larger one is a 413 before it is parsed. */
  bodyBytes: 32 * 1024 * 1024,
  /** Nesting of arrays and objects anywhere in a body, so that no recursive code downstream can exhaust the stack. */
  jsonDepth: 64,
  /** Items of any one array, or keys of any one object, in a body: refused in one cheap walk before schema validation. */
  jsonItems: 100_000,
  /** Characters of every string in a body together (text, tool schemas, image data): a 413. */
  textChars: 8 * 1024 * 1024,
  /** Characters of a `model` name. */
  modelName: 256,
  /** Messages per request: OpenAI's 2,048 and Anthropic's 100,000. */
  messages: { openai: 2048, anthropic: 100_000 },
  /** Items of a Responses `input` (messages, tool calls and their outputs): an agent's history of many turns. The input
   * as resolved (previous_response_id's history, and every item_reference as the item it names) is held to this and to
   * textChars too. */
  inputItems: 10_000,
  /** Content parts of one message (or of a system prompt, or a tool result). */
  contentParts: 1000,
  /** Stop sequences per request: OpenAI's 4; Anthropic documents none, 16 is ours. */
  stopSequences: { openai: 4, anthropic: 16 },
  /** Characters of one stop sequence: the engine spends ~220 bytes of memory per character of each. */
  stopChars: 256,
  /** Tools per request: OpenAI's 128; Anthropic documents none, 512 is ours (agents with many MCP servers send hundreds). */
  tools: { openai: 128, anthropic: 512 },
  /** Entries of `logit_bias`: OpenAI's 300. */
  logitBias: 300,
  /** Choices (`n`) and prompts in a list per request: each takes a slot. */
  choices: 8,
  /** Response-format and tool schemas, as OpenAI documents for structured outputs. */
  schema: { depth: 10, properties: 5000, enumValues: 1000, chars: 120_000, count: 1000, counts: 100_000 } satisfies SchemaLimits,
} as const;
