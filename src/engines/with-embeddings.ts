// A chat model that also serves embeddings (LALS_CONFIG's `"embeddings": true`, llama-server's --embeddings): chat goes to
// its engine, embeddings to an embedding engine on the same file.
import type { ChatRequest } from "../core/chat-request.js";
import type { EmbedRequest, EmbedResult } from "../core/embed-request.js";
import type { GenerationStream } from "../core/generation-stream.js";
import type { DetokenizeRequest, TokenizeRequest, TokenizeResult } from "../core/tokenize-request.js";
import type { Engine, EngineHealth, EngineOccupancy, GenerateOptions, ModelInfo } from "./engine.js";

export class WithEmbeddings implements Engine {
  constructor(private readonly chat: Engine, private readonly embedder: Pick<Engine, "embed">) {}

  health(): EngineHealth {
    return this.chat.health();
  }

  occupancy(): EngineOccupancy {
    return this.chat.occupancy();
  }

  models(): ModelInfo[] {
    return this.chat.models();
  }

  countTokens(request: ChatRequest): Promise<number> {
    return this.chat.countTokens(request);
  }

  generate(request: ChatRequest, signal: AbortSignal, options: GenerateOptions): GenerationStream {
    return this.chat.generate(request, signal, options);
  }

  tokenize(request: TokenizeRequest): Promise<TokenizeResult> {
    return this.chat.tokenize!(request);
  }

  detokenize(request: DetokenizeRequest): Promise<string> {
    return this.chat.detokenize!(request);
  }

  async keepAlive(seconds: number): Promise<void> {
    await this.chat.keepAlive?.(seconds);
  }

  embed(request: EmbedRequest, signal: AbortSignal): Promise<EmbedResult> {
    return this.embedder.embed!(request, signal);
  }
}
