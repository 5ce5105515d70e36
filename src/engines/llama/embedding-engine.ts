// A local model serving embeddings through node-llama-cpp's embedding context: loaded on its first request within the
// memory budget, unloaded when idle or when another model needs the room (on-demand-context.ts). Its chat surface
// refuses with a 400.
//
// With the local build (LALS's patch to the addon), a request's inputs are embedded together: each on a sequence of
// its own in one KV cache they share, as many in each decode step as fit in a batch. On the prebuilt binaries the
// addon reads the pooled vector of sequence 0 only, so inputs are evaluated one after the other on one sequence.
// Where a vector is its last token's output (model-kind.ts), an input builds on the start of it a sequence still holds
// from the one before (a shared template, a repeated text), as llama-server's slots do. Requests wait their turn in line.
import type { LlamaEmbeddingContext, Token } from "node-llama-cpp";
import { cancellationOf } from "../../core/cancel-cause.js";
import { unitVector, type EmbedInput, type EmbedRequest, type EmbedResult } from "../../core/embed-request.js";
import { GatewayError } from "../../core/gateway-error.js";
import type { DetokenizeRequest, TokenizeRequest, TokenizeResult } from "../../core/tokenize-request.js";
import { notChat } from "../router.js";
import { ContextTaskEngine } from "./context-task-engine.js";
import { hasNativeFastPath } from "./llama-binding.js";
import { embedsFromLastToken } from "./model-kind.js";
import { ModelTokenizer } from "./model-tokenizer.js";
import type { LoadedContext, OnDemandContextOptions } from "./on-demand-context.js";

/** Tokens of every input of one request together: bounds the work one request can ask for before any is done. */
export const MAX_EMBED_TOKENS_PER_REQUEST = 1 << 19;
/** Inputs one decode step may embed together with the local build (as many as fit in its batch). */
const BATCHED_SEQUENCES = 64;
/**
 * Tokens of one such step. Every token of a step attends over all of the step's cells (masked to its own input's),
 * so the attention wasted grows with the step's square: on a Qwen3-Embedding-0.6B shape with 56-token inputs, steps
 * of 1,024 tokens embedded 123 tokens/s, 512 gave 145 and 256 gave 147 (llama-server, 8 slots: 145–150).
 */
const STEP_TOKENS = 256;
export interface EmbeddingEngineOptions extends Omit<OnDemandContextOptions<LlamaEmbeddingContext>, "label" | "createContext"> {
  /** Trained for shorter vectors (Matryoshka): `dimensions` is accepted. */
  matryoshka: boolean;
}

type Loaded = LoadedContext<LlamaEmbeddingContext>;

export class EmbeddingEngine extends ContextTaskEngine<LlamaEmbeddingContext> {
  constructor(private readonly options: EmbeddingEngineOptions) {
    super({
      kind: "embedding",
      options: {
        ...options,
        label: "embedding model",
        createContext: (model, context) => model.createEmbeddingContext({
          ...context,
          ...(hasNativeFastPath(model.llama) ? { lalsSequences: BATCHED_SEQUENCES, lalsStepTokens: STEP_TOKENS } : {}),
          lalsReusePrefixes: embedsFromLastToken(model.fileInfo.metadata as unknown as Record<string, unknown>),
        }),
      },
    });
  }

  async embed(request: EmbedRequest, signal: AbortSignal): Promise<EmbedResult> {
    if (request.dimensions !== undefined && !this.options.matryoshka) {
      throw new GatewayError("invalid_request", `The model '${this.options.id}' is not known to support 'dimensions' (set "matryoshka": true on its LALS_CONFIG entry if it was trained for shorter vectors).`, { param: "dimensions" });
    }
    return this.loader.use(signal, async (loaded) => {
      const sequences = request.inputs.map((input, i) => this.tokensOf(loaded, input, i, request.truncateTokens));
      const promptTokens = sequences.reduce((sum, tokens) => sum + loaded.context.calculateInputLength(tokens), 0);
      if (promptTokens > MAX_EMBED_TOKENS_PER_REQUEST) {
        throw new GatewayError("invalid_request", `The inputs hold ${promptTokens} tokens; at most ${MAX_EMBED_TOKENS_PER_REQUEST} per request on this server.`, { param: "input", reason: "input_limit" });
      }
      const dimensions = loaded.model.embeddingVectorSize;
      if (request.dimensions !== undefined && request.dimensions > dimensions) {
        throw new GatewayError("invalid_request", `'dimensions' is at most ${dimensions} for the model '${this.options.id}'.`, { param: "dimensions" });
      }
      const embeddings = await loaded.context.lalsGetEmbeddingsFor(sequences, { signal }).catch((error: unknown) => {
        throw signal.aborted ? cancellationOf(signal) : error;
      });
      return { vectors: embeddings.map((e) => unitVector(e.vector, request.dimensions)), promptTokens };
    });
  }

  /** Text only: an embedding model has no chat template to render a chat with. */
  async tokenize(request: TokenizeRequest): Promise<TokenizeResult> {
    if (request.kind === "chat") throw notChat(this.options.id);
    return this.withTokenizer((tokenizer, contextLength) => {
      const tokens = tokenizer.tokenize(request.content, request);
      return { tokens, ...(request.withPieces ? { pieces: tokenizer.pieces(tokens) } : {}), contextLength };
    });
  }

  async detokenize(request: DetokenizeRequest): Promise<string> {
    return this.withTokenizer((tokenizer) => tokenizer.detokenize(request.tokens));
  }

  private async withTokenizer<T>(task: (tokenizer: ModelTokenizer, contextLength: number) => T): Promise<T> {
    return this.loader.use(new AbortController().signal, (loaded) => task(new ModelTokenizer(loaded.model), loaded.contextSize));
  }

  /** The tokens the model reads for input `index`: within the context, left-truncated when the client asked for it. */
  private tokensOf(loaded: Loaded, input: EmbedInput, index: number, truncate: number | undefined): Token[] {
    const param = `input[${index}]`;
    let tokens: Token[];
    if (typeof input === "string") {
      tokens = loaded.model.tokenize(input);
    } else {
      const vocabularySize = loaded.model.fileInfo.metadata.tokenizer?.ggml?.tokens?.length;
      const bad = input.find((id) => vocabularySize !== undefined && id >= vocabularySize);
      if (bad !== undefined) throw new GatewayError("invalid_request", `${param} holds the token ${bad}, past the model's vocabulary of ${vocabularySize}.`, { param });
      tokens = input as Token[];
    }
    if (tokens.length === 0) throw new GatewayError("invalid_request", `${param} is empty.`, { param });
    // The context reads one token less than it holds, with the beginning and end tokens it adds.
    const added = loaded.context.calculateInputLength(tokens) - tokens.length;
    const fits = loaded.contextSize - 1 - added;
    const keep = truncate === undefined || truncate === -1 ? fits : Math.min(truncate, fits);
    if (truncate === undefined && tokens.length > fits) {
      throw new GatewayError("invalid_request", `${param} is ${tokens.length} tokens long; the model '${this.options.id}' embeds at most ${fits} (send truncate_prompt_tokens to keep the last ones).`, { param });
    }
    return tokens.length > keep ? tokens.slice(tokens.length - keep) : tokens;
  }
}
