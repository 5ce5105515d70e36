// Structured output: a request's response format → the node-llama-cpp grammar that enforces it, compiled once per schema.
import type { GbnfJsonSchema, Llama, LlamaGrammar } from "node-llama-cpp";
import type { ChatRequest } from "../../core/chat-request.js";
import { GatewayError } from "../../core/gateway-error.js";
import { toGrammarSchema } from "./json-schema.js";

const CACHE_SIZE = 64;

export type GrammarSpec = { kind: "json" } | { kind: "schema"; schema: GbnfJsonSchema };

/** What grammar a request needs, refusing what a grammar cannot honour. Undefined for free text. */
export function grammarSpec(request: ChatRequest): GrammarSpec | undefined {
  const format = request.responseFormat;
  if (format.type === "text") return undefined;
  if (request.tools.length > 0 && request.toolChoice.type !== "none") {
    throw new GatewayError("invalid_request", "response_format cannot be combined with tools on this server: send one or the other.", { param: "response_format" });
  }
  if (format.type === "json") return { kind: "json" };
  const { schema, unsupported } = toGrammarSchema(format.schema);
  if (unsupported.length > 0) {
    throw new GatewayError("invalid_request",
      `The JSON schema uses keywords this server cannot enforce: ${unsupported.join(", ")}. Supported: type, properties, required, additionalProperties, items, prefixItems, enum, const, oneOf/anyOf, $ref/$defs, format, min/maxLength, min/maxItems, min/maxProperties.`,
      { param: "response_format.json_schema.schema" });
  }
  return { kind: "schema", schema };
}

export class Grammars {
  private readonly cache = new Map<string, Promise<LlamaGrammar>>();

  constructor(private readonly llama: Llama) {}

  get(spec: GrammarSpec): Promise<LlamaGrammar> {
    const key = spec.kind === "json" ? "json" : JSON.stringify(spec.schema);
    let grammar = this.cache.get(key);
    if (grammar === undefined) {
      grammar = spec.kind === "json" ? this.llama.getGrammarFor("json") : this.llama.createGrammarForJsonSchema<GbnfJsonSchema>(spec.schema);
      grammar.catch(() => this.cache.delete(key));
      if (this.cache.size >= CACHE_SIZE) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(key, grammar);
    }
    return grammar;
  }
}
