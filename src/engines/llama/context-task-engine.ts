// What an engine serving one task from an on-demand node-llama-cpp context (embeddings, ranking) has in common: its
// lifecycle (on-demand-context.ts), health, occupancy and model listing, and a chat surface that refuses with a 400.
import type { ChatRequest } from "../../core/chat-request.js";
import type { GenerationStream } from "../../core/generation-stream.js";
import type { Engine, EngineHealth, EngineOccupancy, ModelInfo } from "../engine.js";
import { notChat } from "../router.js";
import { OnDemandContext, type Disposable, type OnDemandContextOptions } from "./on-demand-context.js";

type TaskKind = "embedding" | "reranker";

export abstract class ContextTaskEngine<C extends Disposable> implements Engine {
  protected readonly loader: OnDemandContext<C>;
  private readonly created = Math.floor(Date.now() / 1000);

  protected constructor(private readonly task: { kind: TaskKind; options: OnDemandContextOptions<C> }) {
    this.loader = new OnDemandContext(task.options);
  }

  get id(): string {
    return this.loader.id;
  }

  health(): EngineHealth {
    return this.loader.health();
  }

  occupancy(): EngineOccupancy {
    return this.loader.occupancy();
  }

  models(): ModelInfo[] {
    const loaded = this.loader.current();
    const { id, contextSize } = this.task.options;
    return [{
      id, created: this.created, ownedBy: "lals", kind: this.task.kind, loaded: loaded !== undefined,
      contextLength: loaded?.contextSize ?? (contextSize === "auto" ? 0 : contextSize),
      ...(loaded === undefined ? {} : { memoryBytes: loaded.bytes }),
    }];
  }

  async countTokens(): Promise<number> {
    throw notChat(this.task.options.id, this.task.kind);
  }

  generate(_request: ChatRequest, _signal: AbortSignal): GenerationStream {
    throw notChat(this.task.options.id, this.task.kind);
  }

  async dispose(): Promise<void> {
    await this.loader.dispose();
  }
}
