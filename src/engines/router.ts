// Maps the model a client asks for (a served model's id, or an alias of one) to the engine that serves it.
import { GatewayError } from "../core/gateway-error.js";
import { quoted } from "../core/quoted.js";
import type { Engine, EngineOccupancy, ModelInfo, ModelKind } from "./engine.js";
import type { ModelFiles, PullProgress } from "./llama/model-files.js";
import { resolveAlias, VENDOR_NAME_FAMILIES, vendorFamily, type ModelAlias } from "./model-aliases.js";

const LATEST_TAG = ":latest";

/** The owner the vendor families are listed with, so a model picker can leave them out. */
export const VENDOR_NAMES_OWNER = "vendor-names";

export interface RouterOptions {
  /** Other names of served models. */
  aliases?: readonly ModelAlias[];
  /** Serve the vendors' model names (claude-*, gpt-*, …) with the default model when nothing else matches; default true. */
  vendorNames?: boolean;
  /** The local models' GGUF files, by served id. */
  files?: ModelFiles;
}

/** The refusal of chat (or a token count) by an embedding model or a reranker. */
export function notChat(model: string, kind: "embedding" | "reranker" = "embedding"): GatewayError {
  const answers = kind === "embedding" ? "an embedding model: it answers /v1/embeddings" : "a reranker: it answers /v1/rerank";
  return new GatewayError("invalid_request", `The model '${quoted(model)}' is ${answers}, not chat or completions.`, { param: "model" });
}

export class Router {
  private readonly aliases: readonly ModelAlias[];
  private readonly vendorNames: boolean;
  private readonly files: RouterOptions["files"];

  constructor(private readonly engines: readonly Engine[], { aliases = [], vendorNames = true, files }: RouterOptions = {}) {
    this.aliases = aliases;
    this.vendorNames = vendorNames;
    this.files = files;
    const served = new Set(this.served().map((m) => m.id));
    for (const alias of aliases) {
      if (!served.has(alias.target)) {
        throw new Error(`MODEL_ALIASES: '${alias.name}' points to '${alias.target}', which is not served (served: ${[...served].join(", ")})`);
      }
    }
  }

  /** Served models, then the aliases and the vendor families, each listed with the model it stands for. */
  models(): ModelInfo[] {
    const served = this.served();
    const defaultModel = served[0];
    return [
      ...served,
      ...this.aliases.map((alias) => ({ ...served.find((m) => m.id === alias.target)!, id: alias.name, aliasOf: alias.target })),
      ...(this.vendorNames && defaultModel !== undefined
        ? VENDOR_NAME_FAMILIES.filter((f) => !this.aliases.some((a) => a.name === f.glob))
          .map((f) => ({ ...defaultModel, id: f.glob, ownedBy: VENDOR_NAMES_OWNER, aliasOf: defaultModel.id }))
        : []),
    ];
  }

  /** The models as models() lists them, local ones with their GGUF file's details (an alias with its target's). */
  async modelsWithFiles(): Promise<ModelInfo[]> {
    const files = this.files;
    if (files === undefined) return this.models();
    return Promise.all(this.models().map(async (model) => {
      const file = await files.details(model.aliasOf ?? model.id).catch(() => undefined);
      return file === undefined ? model : { ...model, file };
    }));
  }

  /**
   * Starts fetching the file of the local model `model` names, ahead of its first use: throws at once when it names
   * no local model, and resolves to the file's local path.
   */
  pull(model: string, onProgress: (progress: PullProgress) => void): Promise<string> {
    const { servedId } = this.find(model);
    const files = this.files;
    if (files === undefined || !files.has(servedId)) {
      throw new GatewayError("invalid_request", `The model '${quoted(model)}' is not a local model: there is no file to pull.`, { param: "model" });
    }
    return files.pull(servedId, onProgress).catch((error: unknown) => {
      throw new GatewayError("upstream", `Could not fetch the file of '${quoted(model)}': ${error instanceof Error ? error.message.slice(0, 300) : String(error)}`, { cause: error });
    });
  }

  /** Loads or unloads the model `model` names (Ollama's keep_alive); its listing afterwards. */
  async keepAlive(model: string, seconds: number): Promise<ModelInfo> {
    const { engine, servedId } = this.find(model);
    await engine.keepAlive?.(seconds);
    const info = engine.models().find((m) => m.id === servedId)!;
    return servedId === model ? info : { ...info, id: model, aliasOf: servedId };
  }

  /** The id of the served model `model` names: exactly, through an alias, or as a vendor's name for the default model. */
  private servedId(model: string): string | undefined {
    const served = this.served();
    if (served.some((m) => m.id === model)) return model;
    const aliased = resolveAlias(this.aliases, model);
    if (aliased !== undefined) return aliased;
    if (this.vendorNames && vendorFamily(model) !== undefined) return served[0]?.id;
    // Ollama's names: `name:latest` is `name` (clients add the default tag to names they were given without one).
    return model.endsWith(LATEST_TAG) ? this.servedId(model.slice(0, -LATEST_TAG.length)) : undefined;
  }

  /** The engine serving `model`, whatever its kind, or a not_found error naming the models there are. */
  resolve(model: string): Engine {
    return this.find(model).engine;
  }

  /** The engine serving `model` and the id of the served model it stands for (itself, an alias's target, the default model), for chat. */
  route(model: string): { engine: Engine; servedId: string } {
    const routed = this.find(model);
    const kind = this.kindOf(routed);
    if (kind !== "chat") throw notChat(model, kind);
    return routed;
  }

  /** The engine that embeds for `model`, or a 400 when the model it names cannot embed. */
  routeEmbedding(model: string): { engine: Engine & Required<Pick<Engine, "embed">>; servedId: string } {
    const { engine, servedId } = this.find(model);
    if (engine.embed === undefined) {
      const is = this.kindOf({ engine, servedId }) === "reranker" ? "a reranker: it answers /v1/rerank" : "a chat model. Use an embedding model, or set \"embeddings\": true on its LALS_CONFIG entry";
      throw new GatewayError("invalid_request", `The model '${quoted(model)}' does not serve embeddings: it is ${is}.`, { param: "model" });
    }
    return { engine: engine as Engine & Required<Pick<Engine, "embed">>, servedId };
  }

  /** The engine that reranks for `model`, or a 400 when the model it names is not a reranker. */
  routeRanking(model: string): { engine: Engine & Required<Pick<Engine, "rank">>; servedId: string } {
    const { engine, servedId } = this.find(model);
    if (engine.rank === undefined) {
      const is = this.kindOf({ engine, servedId }) === "embedding" ? "an embedding model: it answers /v1/embeddings" : "a chat model";
      throw new GatewayError("invalid_request", `The model '${quoted(model)}' does not rerank: it is ${is}. Use a reranker (kind "reranker" in LALS_CONFIG).`, { param: "model" });
    }
    return { engine: engine as Engine & Required<Pick<Engine, "rank">>, servedId };
  }

  /** The engine that tokenizes for `model` (absent: the default model), or a 400 when it cannot. */
  routeTokenizer(model: string | undefined): { engine: Engine & Required<Pick<Engine, "tokenize" | "detokenize">>; servedId: string } {
    const name = model ?? this.served()[0]?.id ?? "";
    const { engine, servedId } = this.find(name);
    if (engine.tokenize === undefined || engine.detokenize === undefined) {
      throw new GatewayError("invalid_request", `The model '${quoted(name)}' does not tokenize on this server: it is served by an upstream. Ask a local model.`, { param: "model" });
    }
    return { engine: engine as Engine & Required<Pick<Engine, "tokenize" | "detokenize">>, servedId };
  }

  private kindOf({ engine, servedId }: { engine: Engine; servedId: string }): ModelKind {
    return engine.models().find((m) => m.id === servedId)?.kind ?? "chat";
  }

  private find(model: string): { engine: Engine; servedId: string } {
    const servedId = this.servedId(model);
    const engine = servedId === undefined ? undefined : this.engines.find((e) => e.models().some((m) => m.id === servedId));
    if (engine === undefined || servedId === undefined) {
      const known = this.models().map((m) => m.id).join(", ");
      throw new GatewayError("not_found", `The model '${quoted(model)}' does not exist. Available models: ${known}.`, { param: "model" });
    }
    return { engine, servedId };
  }

  /** How busy the engines are, added up. */
  occupancy(): EngineOccupancy {
    return this.engines.map((e) => e.occupancy()).reduce((sum, l) => ({ slots: sum.slots + l.slots, busySlots: sum.busySlots + l.busySlots, queued: sum.queued + l.queued }), { slots: 0, busySlots: 0, queued: 0 });
  }

  /** Ready while the default model (the first engine) can serve, for /health; other models load and fail on their own. */
  health(): { ready: boolean; reason?: string } {
    const health = this.engines[0]?.health() ?? { state: "ready" };
    if (health.state === "loading") return { ready: false, reason: "model is loading" };
    if (health.state === "failed") return { ready: false, reason: `model failed to load: ${health.reason}` };
    return { ready: true };
  }

  private served(): ModelInfo[] {
    return this.engines.flatMap((engine) => engine.models());
  }
}
