// A local reranker serving /v1/rerank through node-llama-cpp's ranking context: loaded on its first request within the
// memory budget, unloaded when idle or when another model needs the room (on-demand-context.ts). Its chat surface
// refuses with a 400.
//
// The ranking context evaluates one query and document pair at a time on its one sequence, so documents are scored one
// after the other (each pair decodes in batches of its own tokens); requests wait their turn in line. Where the score
// is read from the last token (model-kind.ts), each pair builds on what the sequence holds of the one before: the
// query, with the template's preamble, is decoded once per request rather than once per document.
import type { LlamaRankingContext, Token } from "node-llama-cpp";
import { cancellationOf } from "../../core/cancel-cause.js";
import { GatewayError } from "../../core/gateway-error.js";
import type { RankRequest, RankResult } from "../../core/rank-request.js";
import { ContextTaskEngine } from "./context-task-engine.js";
import { ranksFromLastToken } from "./model-kind.js";
import type { LoadedContext, OnDemandContextOptions } from "./on-demand-context.js";

/** Tokens of every query and document pair of one request together: bounds the work one request can ask for before any is done. */
export const MAX_RANK_TOKENS_PER_REQUEST = 1 << 19;

export type RankingEngineOptions = Omit<OnDemandContextOptions<LlamaRankingContext>, "label" | "createContext">;

type Loaded = LoadedContext<LlamaRankingContext>;

export class RankingEngine extends ContextTaskEngine<LlamaRankingContext> {
  constructor(private readonly options: RankingEngineOptions) {
    super({
      kind: "reranker",
      options: {
        ...options,
        label: "reranker",
        createContext: (model, context) =>
          model.createRankingContext({ ...context, lalsReusePrefixes: ranksFromLastToken(model.fileInfo.metadata as unknown as Record<string, unknown>) }),
      },
    });
  }

  async rank(request: RankRequest, signal: AbortSignal): Promise<RankResult> {
    return this.loader.use(signal, async (loaded) => {
      // Tokenized as the ranking context itself tokenizes text, so a pair scores as rankAll would score it.
      const query = loaded.model.tokenize(request.query, false, "trimLeadingSpace");
      const documents = request.documents.map((document, i) => this.documentTokens(loaded, query, document, i, request.truncateTokens));
      const lengths = documents.map((document) => loaded.context.calculateInputLength(query, document));
      const promptTokens = lengths.reduce((sum, length) => sum + length, 0);
      if (promptTokens > MAX_RANK_TOKENS_PER_REQUEST) {
        throw new GatewayError("invalid_request", `The query and documents make ${promptTokens} tokens to read (the query once per document); at most ${MAX_RANK_TOKENS_PER_REQUEST} per request on this server.`, { param: "documents", reason: "input_limit" });
      }
      const scores: number[] = [];
      for (const document of documents) {
        if (signal.aborted) throw cancellationOf(signal);
        scores.push(await loaded.context.rank(query, document));
      }
      return { scores, promptTokens };
    });
  }

  /** The tokens the model reads for document `index` beside the query: within the context, left-truncated when the client asked for it. */
  private documentTokens(loaded: Loaded, query: Token[], document: string, index: number, truncate: number | undefined): Token[] {
    const param = `documents[${index}]`;
    const tokens = loaded.model.tokenize(document, false, "trimLeadingSpace");
    if (tokens.length === 0) throw new GatewayError("invalid_request", `${param} is empty.`, { param });
    // The context must hold the whole pair (with the markup it adds around it) and one token more.
    const around = loaded.context.calculateInputLength(query, tokens) - tokens.length;
    const fits = loaded.contextSize - 1 - around;
    if (fits < 1) {
      throw new GatewayError("invalid_request", `The query is ${query.length} tokens long; the model '${this.options.id}' reads at most ${loaded.contextSize - 1} tokens of query and document together.`, { param: "query" });
    }
    if (truncate === undefined && tokens.length > fits) {
      throw new GatewayError("invalid_request", `${param} is ${tokens.length} tokens long; beside this query the model '${this.options.id}' reads at most ${fits} (send truncate_prompt_tokens to keep the last ones).`, { param });
    }
    const keep = truncate === undefined || truncate === -1 ? fits : Math.min(truncate, fits);
    return tokens.length > keep ? tokens.slice(tokens.length - keep) : tokens;
  }
}
