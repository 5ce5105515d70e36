// Structured output: a request's response format → the node-llama-cpp grammar that enforces it, compiled once per schema.
import { LRUCache } from "lru-cache";
import type { GbnfJsonSchema, Llama, LlamaGrammar } from "node-llama-cpp";
import type { ChatRequest } from "../../core/chat-request.js";
import { GatewayError } from "../../core/gateway-error.js";
import { REQUEST_PARAMS } from "../../core/request-param.js";
import { toGrammarSchema } from "./json-schema.js";

/** Compiled grammars kept, least recently used dropped first. */
const CACHE_SIZE = 64;

export type GrammarSpec = { kind: "json" } | { kind: "schema"; schema: GbnfJsonSchema };

/** What grammar a request needs, refusing what a grammar cannot honour. Undefined for free text. */
export function grammarSpec(request: ChatRequest): GrammarSpec | undefined {
  const format = request.responseFormat;
  if (format.type === "text") return undefined;
  if (request.tools.length > 0 && request.toolChoice.type !== "none") {
    throw new GatewayError("invalid_request", "Structured output cannot be combined with tools on this server: ask for one or the other.", { param: REQUEST_PARAMS.responseFormat });
  }
  if (format.type === "json") return { kind: "json" };
  const { schema, unsupported } = toGrammarSchema(format.schema);
  if (unsupported.length > 0) {
    throw new GatewayError("invalid_request",
      `The JSON schema uses keywords this server cannot enforce: ${unsupported.join(", ")}. Supported: type, properties, required, additionalProperties, items, prefixItems, enum, const, oneOf/anyOf, $ref/$defs, format, min/maxLength, min/maxItems, min/maxProperties.`,
      { param: REQUEST_PARAMS.responseSchema });
  }
  return { kind: "schema", schema };
}

export class Grammars {
  private readonly cache = new LRUCache<string, Promise<LlamaGrammar>>({ max: CACHE_SIZE });

  constructor(private readonly llama: Llama) {}

  get(spec: GrammarSpec): Promise<LlamaGrammar> {
    const key = spec.kind === "json" ? "json" : JSON.stringify(spec.schema);
    let grammar = this.cache.get(key);
    if (grammar === undefined) {
      grammar = spec.kind === "json" ? this.llama.getGrammarFor("json") : this.llama.createGrammarForJsonSchema<GbnfJsonSchema>(spec.schema);
      const compiling = grammar;
      // A failed compilation is not kept; a later request tries again.
      compiling.catch(() => {
        if (this.cache.peek(key) === compiling) this.cache.delete(key);
      });
      this.cache.set(key, grammar);
    }
    return grammar;
  }
}
