// Structured output: a request's response format → the node-llama-cpp grammar that enforces it, compiled once per
// grammar (schemas that differ only in descriptions share one) and kept in a cache bounded in bytes. A schema the
// compiler refuses is the client's mistake: an invalid_request naming it, for a response format or a tool alike.
import { createHash } from "node:crypto";
import { LRUCache } from "lru-cache";
import type { ChatModelFunctions, GbnfJsonSchema, Llama, LlamaGrammar } from "node-llama-cpp";
import type { ChatRequest } from "../../core/chat-request.js";
import { GatewayError } from "../../core/gateway-error.js";
import { REQUEST_PARAMS } from "../../core/request-param.js";
import { grammarForm, toGrammarSchema } from "./json-schema.js";

/** What the compiled grammars of one Llama may hold, as grammarBytes estimates it; least recently used dropped first. */
const CACHE_BYTES = 64 * 1024 * 1024;
/** llama.cpp writes a count (maxLength: 500) out as that many rules of ~95 bytes each (measured). */
const BYTES_PER_COUNT = 100;

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

/** The estimated memory of a grammar compiled from `form`: its schema and GBNF text kept in JS, its rules in llama.cpp. */
export const grammarBytes = (form: { json: string; counts: number }): number => 1024 + 4 * form.json.length + BYTES_PER_COUNT * form.counts;

/** Messages of what node-llama-cpp throws when it cannot build a grammar from a schema (a backstop: bounds refuse first). */
const COMPILE_FAILURES = [/^Failed to parse grammar/, /^Maximum nesting scope exceeded/, /^Unrecognized literal type/];

/** Whether `error` is node-llama-cpp failing to build a grammar, rather than the engine failing. */
export const isGrammarFailure = (error: unknown): error is Error =>
  error instanceof Error && COMPILE_FAILURES.some((pattern) => pattern.test(error.message));

export class Grammars {
  private readonly cache: LRUCache<string, Promise<LlamaGrammar>>;

  constructor(private readonly llama: Llama, maxBytes = CACHE_BYTES) {
    this.cache = new LRUCache({ maxSize: maxBytes });
  }

  /** Estimated bytes the cached grammars hold. */
  get bytes(): number {
    return this.cache.calculatedSize;
  }

  get entries(): number {
    return this.cache.size;
  }

  /** The grammar of `spec`; a schema the compiler refuses is an invalid_request naming `param`. */
  async get(spec: GrammarSpec, param: string = REQUEST_PARAMS.responseSchema): Promise<LlamaGrammar> {
    try {
      return await this.compiled(spec);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new GatewayError("invalid_request", `This server cannot turn the JSON schema into a grammar (${reason}).`, { param, cause: error });
    }
  }

  /**
   * Compiles each offered function's parameters once, as LlamaChat will when it builds its function-calling grammar
   * inside the generation: a schema it cannot take is refused here, before the reply starts, naming the tool.
   */
  async checkFunctions(functions: ChatModelFunctions | undefined, tools: ChatRequest["tools"]): Promise<void> {
    for (const [name, { params }] of Object.entries(functions ?? {})) {
      if (params !== undefined && params !== null) await this.get({ kind: "schema", schema: params }, `tools[${tools.findIndex((tool) => tool.name === name)}]`);
    }
  }

  private compiled(spec: GrammarSpec): Promise<LlamaGrammar> {
    const form = spec.kind === "json" ? undefined : grammarForm(spec.schema);
    const key = form === undefined ? "json" : createHash("sha256").update(form.json).digest("base64url");
    let grammar = this.cache.get(key);
    if (grammar === undefined) {
      grammar = form === undefined ? this.llama.getGrammarFor("json") : this.llama.createGrammarForJsonSchema<GbnfJsonSchema>(form.schema);
      const compiling = grammar;
      // A failed compilation is not kept; a later request tries again.
      compiling.catch(() => {
        if (this.cache.peek(key) === compiling) this.cache.delete(key);
      });
      this.cache.set(key, grammar, { size: form === undefined ? 1024 : grammarBytes(form) });
    }
    return grammar;
  }
}

// A grammar belongs to the Llama binding (llama.createGrammarForJsonSchema), not to a model: every model loaded from one
// Llama shares its cache, which lives as long as the Llama does.
const byLlama = new WeakMap<Llama, Grammars>();

/** The grammar cache of `llama`, one for all the models loaded from it. */
export function grammarsOf(llama: Llama): Grammars {
  let grammars = byLlama.get(llama);
  if (grammars === undefined) {
    grammars = new Grammars(llama);
    byLlama.set(llama, grammars);
  }
  return grammars;
}
