// The in-process engine: one llama.cpp context with a sequence per slot, decoded together in shared batches. It
// composes the parts: a request's Prompt, a Slot from the SlotPool, a Generation on it.
import type { LlamaContext, LlamaGrammar, LlamaModel, TokenBias } from "node-llama-cpp";
import { cancellationOf, cancelWith, causeOf } from "../../core/cancel-cause.js";
import type { ChatEvent } from "../../core/chat-event.js";
import type { ChatRequest } from "../../core/chat-request.js";
import type { DetokenizeRequest, TokenizeRequest, TokenizeResult } from "../../core/tokenize-request.js";
import { GatewayError } from "../../core/gateway-error.js";
import { admitOnStart, type GenerationStream } from "../../core/generation-stream.js";
import type { Engine, EngineHealth, EngineOccupancy, GenerateOptions, ModelInfo } from "../engine.js";
import { cacheKey, modelFileIdentity } from "./cache-identity.js";
import { chatWrapperCache, type ChatWrappers } from "./chat-wrappers.js";
import { contextChoice, createContext, loadFailureReason } from "./create-context.js";
import { estimateMemory } from "./estimate-memory.js";
import { Generation } from "./generation.js";
import { grammarsOf, type Grammars } from "./grammars.js";
import { llamaEngineSettings, memorySettings, type LlamaEngineOptions, type LlamaEngineSettings } from "./llama-engine-options.js";
import { loadModel, resolveModelPath } from "./load-model.js";
import { ModelTokenizer } from "./model-tokenizer.js";
import { onDecodeStarted } from "./node-llama-cpp-patch.js";
import { PromptCache } from "./prompt-cache.js";
import { PromptSize } from "./prompt-size.js";
import { Prompts, type Prompt } from "./prompt.js";
import { releaseFreedMemory } from "./release-freed-memory.js";
import { SlotPool } from "./slot-pool.js";
import { WhileDecoding } from "./while-decoding.js";

interface Loaded {
  model: LlamaModel;
  context: LlamaContext;
  whileDecoding: WhileDecoding;
  slots: SlotPool;
  prompts: Prompts;
  promptSize: PromptSize;
  tokenizer: ModelTokenizer;
  grammars: Grammars;
  promptCache: PromptCache | undefined;
}

/** A request made ready for a slot: what countTokens counts, and what the grammar and sampling need. */
interface Input {
  prompt: Prompt;
  grammar: LlamaGrammar | undefined;
  tokenBias: TokenBias | undefined;
  maxTokens: number;
}

export class LlamaEngine implements Engine {
  private readonly settings: LlamaEngineSettings;
  private state: EngineHealth = { state: "loading" };
  /** What the loaded model holds (weights and context), as node-llama-cpp estimates it. */
  private memoryBytes: number | undefined;
  private loaded: Loaded | undefined;
  private readonly created = Math.floor(Date.now() / 1000);

  constructor(options: LlamaEngineOptions) {
    this.settings = llamaEngineSettings(options);
  }

  /** Loads the model; health() reports the outcome. */
  async load(): Promise<void> {
    const { settings } = this;
    const started = performance.now();
    try {
      const path = await resolveModelPath(settings.source, settings.log);
      const model = await loadModel(path, settings.log, settings.useMmap);
      const context = await createContext(model, settings);
      this.memoryBytes = await estimateMemory(model.fileInsights, { ...memorySettings(settings), contextSize: context.contextSize });
      releaseFreedMemory();
      const wrappers = chatWrapperCache.for(model, path, settings.chatTemplate);
      const loaded = this.compose(model, context, wrappers);
      if (loaded.promptCache !== undefined) {
        const layout = { kvType: settings.kvType, flashAttention: context.flashAttention, swaFullCache: model.defaultContextSwaFullCache };
        await loaded.promptCache.open(cacheKey(await modelFileIdentity(path), layout));
      }
      this.loaded = loaded;
      this.state = { state: "ready" };
      settings.log.info({
        model: path,
        chatWrapper: wrappers.name,
        contextSize: context.contextSize,
        contextChoice: contextChoice(model, context, settings),
        kvType: settings.kvType,
        slots: settings.parallel,
        threads: settings.threads,
        ms: Math.round(performance.now() - started),
      }, "model loaded");
    } catch (error) {
      const reason = loadFailureReason(error, settings);
      this.state = { state: "failed", reason };
      throw new Error(reason, { cause: error });
    }
  }

  async dispose(): Promise<void> {
    await this.loaded?.promptCache?.saveBeforeUnload(this.loaded.slots.slots);
    await this.loaded?.promptCache?.dispose();
    this.loaded?.whileDecoding.flush();
    await this.loaded?.context.dispose();
    await this.loaded?.model.dispose();
    this.loaded = undefined;
    releaseFreedMemory();
  }

  health(): EngineHealth {
    return this.state;
  }

  occupancy(): EngineOccupancy {
    const slots = this.settings.parallel;
    const pool = this.loaded?.slots;
    return { slots, busySlots: pool === undefined ? 0 : slots - pool.idle, queued: pool?.queued ?? 0 };
  }

  models(): ModelInfo[] {
    const { alias, contextSize } = this.settings;
    return [{
      id: alias,
      created: this.created,
      ownedBy: "lals",
      contextLength: this.loaded?.context.contextSize ?? (contextSize === "auto" ? 0 : contextSize),
      ...(this.memoryBytes === undefined ? {} : { memoryBytes: this.memoryBytes }),
      ...(this.loaded?.promptCache === undefined ? {} : { promptCache: this.loaded.promptCache.stats() }),
    }];
  }

  async countTokens(request: ChatRequest): Promise<number> {
    const loaded = this.ready();
    await loaded.promptSize.check(request, loaded.context.contextSize);
    return loaded.prompts.build(request).tokens.length;
  }

  /** A chat's tokens are its prompt's, built exactly as countTokens and generate build it. */
  async tokenize(request: TokenizeRequest): Promise<TokenizeResult> {
    const loaded = this.ready();
    const contextLength = loaded.context.contextSize;
    if (request.kind === "chat") {
      await loaded.promptSize.check(request.chat, contextLength);
      return { tokens: loaded.prompts.build(request.chat).tokens, contextLength };
    }
    const tokens = loaded.tokenizer.tokenize(request.content, request);
    return { tokens, ...(request.withPieces ? { pieces: loaded.tokenizer.pieces(tokens) } : {}), contextLength };
  }

  async detokenize(request: DetokenizeRequest): Promise<string> {
    return this.ready().tokenizer.detokenize(request.tokens);
  }

  generate(request: ChatRequest, signal: AbortSignal, options: GenerateOptions): GenerationStream {
    return admitOnStart(this.events(request, signal, options));
  }

  /** `start` once the request holds its slot, then the generation's events; the slot is freed when it ends. */
  private async *events(request: ChatRequest, signal: AbortSignal, options: GenerateOptions): AsyncGenerator<ChatEvent> {
    const loaded = this.ready();
    const member = options.group === undefined ? undefined : loaded.slots.member(options.group, signal);
    let input: Input;
    try {
      input = await this.input(loaded, request);
    } catch (error) {
      member?.forfeit();
      throw error;
    }
    const abort = new AbortController();
    const onAbort = (): void => cancelWith(abort, causeOf(signal));
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, { once: true });
    let release = (): void => undefined;
    let generation: Generation | undefined;
    try {
      const { tokens } = input.prompt;
      const partition = request.partition ?? "";
      const slot = await (member?.take() ?? loaded.slots.acquire({ partition, cacheKey: request.promptCacheKey, tokens }, abort.signal));
      release = loaded.slots.releaser(slot, request.promptCacheKey);
      if (abort.signal.aborted) throw cancellationOf(abort.signal);
      const held = await slot.takeOver(partition, tokens, loaded.promptCache, abort.signal);
      const cachedTokens = Math.max(0, Math.min(held, tokens.length - 1));
      yield { type: "start", inputTokens: tokens.length, cachedTokens };
      const { settings } = this;
      generation = new Generation({
        ...input, slot, request, cachedTokens, abort, onEnd: release,
        defaults: settings.defaults, whileDecoding: loaded.whileDecoding, poll: settings.poll, log: settings.log,
      });
      yield* generation;
    } finally {
      // The consumer stopped reading, done or not: nobody is left to tell of a generation cut short.
      cancelWith(abort, { type: "client_gone" });
      signal.removeEventListener("abort", onAbort);
      await generation?.done;
      release();
    }
  }

  private async input(loaded: Loaded, request: ChatRequest): Promise<Input> {
    await loaded.promptSize.check(request, loaded.context.contextSize);
    const prompt = loaded.prompts.build(request);
    const tokenBias = loaded.prompts.tokenBias(request.sampling.logitBias);
    const grammar = prompt.grammar === undefined ? undefined : await loaded.grammars.get(prompt.grammar);
    if (prompt.kind === "chat") await loaded.grammars.checkFunctions(prompt.functions, request.tools);
    const maxTokens = loaded.prompts.maxTokens(prompt, loaded.context.contextSize, request.sampling.maxTokens);
    return { prompt, grammar, tokenBias, maxTokens };
  }

  private compose(model: LlamaModel, context: LlamaContext, wrappers: ChatWrappers): Loaded {
    const { settings } = this;
    const whileDecoding = new WhileDecoding();
    onDecodeStarted(context, whileDecoding.decodeStarted);
    const { maxBytes, dir } = settings.promptCache;
    return {
      model,
      context,
      whileDecoding,
      slots: new SlotPool({ sequences: Array.from({ length: settings.parallel }, () => context.getSequence()), maxQueue: settings.maxQueue, maxWaitMs: settings.queueTimeoutMs }),
      prompts: new Prompts({ model, wrappers, thinking: settings.defaults.thinking, log: settings.log }),
      promptSize: new PromptSize(model),
      tokenizer: new ModelTokenizer(model),
      grammars: grammarsOf(model.llama),
      promptCache: maxBytes > 0 ? new PromptCache({ maxBytes, parentDir: dir, log: settings.log }) : undefined,
    };
  }

  private ready(): Loaded {
    if (this.loaded !== undefined) return this.loaded;
    const reason = this.state.state === "failed" ? `the model failed to load: ${this.state.reason}` : "the model is still loading";
    throw new GatewayError("unavailable", `Not ready: ${reason}.`, { retryAfter: 5 });
  }
}
