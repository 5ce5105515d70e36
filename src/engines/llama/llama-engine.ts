// The in-process engine: one llama.cpp context with a sequence per slot, decoded together in shared batches.
import {
  LlamaChat,
  LlamaCompletion,
  LlamaJsonSchemaValidationError,
  type LlamaChatResponse,
  type LlamaCompletionResponse,
  TokenBias,
  type ChatHistoryItem,
  type ChatModelFunctions,
  type ChatWrapper,
  type LlamaContext,
  type LlamaContextSequence,
  type LlamaModel,
  type Token,
} from "node-llama-cpp";
import { randomInt } from "node:crypto";
import type { Logger } from "pino";
import type { ChatEvent, StopReason } from "../../core/chat-event.js";
import type { ChatRequest } from "../../core/chat-request.js";
import { cancellationOf } from "../../core/cancel-cause.js";
import { GatewayError } from "../../core/gateway-error.js";
import type { Engine, EngineHealth, EngineOccupancy, GenerateOptions, GenerationGroup, ModelInfo } from "../engine.js";
import { BlockTracker, type FinishedCall } from "./block-tracker.js";
import { chooseSlot, commonPrefixLength } from "./choose-slot.js";
import { ChatWrappers, type ThinkingMode } from "./chat-wrappers.js";
import { grammarSpec, Grammars, type GrammarSpec } from "./grammars.js";
import { estimateMemory } from "./estimate-memory.js";
import { eventLoopPoll } from "./event-loop-poll.js";
import { EventQueue } from "./event-queue.js";
import { loadModel, resolveModelPath, type ModelSource } from "./load-model.js";
import { cancelPendingEvaluation, onDecodeStarted } from "./node-llama-cpp-patch.js";
import { PromptCache } from "./prompt-cache.js";
import { releaseFreedMemory } from "./release-freed-memory.js";
import { shareBatch } from "./share-batch.js";
import { SlotGroup } from "./slot-group.js";
import { SlotScheduler } from "./slot-scheduler.js";
import { toChatHistory } from "./to-chat-history.js";
import { toFunctions } from "./to-functions.js";
import { WhileDecoding } from "./while-decoding.js";

export interface LlamaEngineOptions {
  source: ModelSource;
  /** The public model id. */
  alias: string;
  /** `auto` or a node-llama-cpp chat wrapper type name. */
  chatTemplate: string;
  /** `auto`: the trained context as far as free memory allows. */
  contextSize: number | "auto";
  kvType: "f16" | "q8_0";
  threads: number;
  /** Keep the event loop polling while this model generates (see event-loop-poll.ts). */
  poll: boolean;
  /** Saving prompts evicted from slots; maxBytes 0: off. */
  promptCache: { maxBytes: number; dir: string };
  /** 0: node-llama-cpp's default. */
  batchSize: number;
  useMmap: boolean;
  parallel: number;
  maxQueue: number;
  /** How long a request may wait for a slot; 0: no limit. */
  queueTimeoutMs: number;
  defaults: { temperature: number; topP: number; thinking: ThinkingMode };
  log: Logger;
}

interface Loaded {
  model: LlamaModel;
  context: LlamaContext;
  whileDecoding: WhileDecoding;
  scheduler: SlotScheduler<LlamaContextSequence>;
  /** Each sequence's number in the context, in the order they were created. */
  slotNumbers: Map<LlamaContextSequence, number>;
  /** The partition whose tokens each slot holds: another partition's request starts it afresh. */
  slotOwners: Map<LlamaContextSequence, string>;
  /** The prompt cache key (Responses' `prompt_cache_key`) of the request each slot last served. */
  slotCacheKeys: Map<LlamaContextSequence, string>;
  groups: WeakMap<GenerationGroup, SlotGroup<LlamaContextSequence>>;
  wrappers: ChatWrappers;
  grammars: Grammars;
  vocabularySize: number;
  promptCache: PromptCache | undefined;
}

/** What a request becomes before generation: the same for countTokens and generate, so their counts agree. */
type Prompt = { grammar: GrammarSpec | undefined; tokens: Token[] } & (
  | { kind: "chat"; history: ChatHistoryItem[]; wrapper: ChatWrapper; functions: ChatModelFunctions | undefined }
  | { kind: "raw" });

type CompletionMetadata = LlamaCompletionResponse["metadata"] | LlamaChatResponse["metadata"];

const MIN_AUTO_CONTEXT = 2048;
const KV_TYPES = { f16: "F16", q8_0: "Q8_0" } as const;

/** Events a consumer may leave unread before its generation is cancelled: minutes of output at any real speed. */
const MAX_BUFFERED_EVENTS = 16384;

const STOP_REASONS: Record<string, StopReason> = {
  eogToken: "end_turn",
  stopGenerationTrigger: "end_turn",
  customStopTrigger: "stop_sequence",
  maxTokens: "max_tokens",
  functionCalls: "tool_use",
};

export class LlamaEngine implements Engine {
  private state: EngineHealth = { state: "loading" };
  /** What the loaded model holds (weights and context), as node-llama-cpp estimates it. */
  private memoryBytes: number | undefined;
  private loaded: Loaded | undefined;
  private readonly created = Math.floor(Date.now() / 1000);

  constructor(private readonly options: LlamaEngineOptions) {}

  /** Loads the model; health() reports the outcome. */
  async load(): Promise<void> {
    const { options } = this;
    const started = performance.now();
    try {
      const path = await resolveModelPath(options.source, options.log);
      const model = await loadModel(path, options.log, options.useMmap);
      const context = await model.createContext({
        // node-llama-cpp sizes an `auto` context from the model's trained context and the memory free for it.
        contextSize: options.contextSize === "auto" ? { min: MIN_AUTO_CONTEXT, max: model.trainContextSize } : options.contextSize,
        experimentalKvCacheKeyType: KV_TYPES[options.kvType],
        experimentalKvCacheValueType: KV_TYPES[options.kvType],
        sequences: options.parallel,
        threads: options.threads,
        ...(options.batchSize > 0 ? { batchSize: options.batchSize } : {}),
        batching: { itemPrioritizationStrategy: shareBatch },
      });
      this.memoryBytes = await estimateMemory(model.fileInsights, {
        contextSize: context.contextSize, sequences: options.parallel, batchSize: options.batchSize, kvType: options.kvType, useMmap: options.useMmap,
      });
      releaseFreedMemory();
      const sequences = Array.from({ length: options.parallel }, () => context.getSequence());
      const whileDecoding = new WhileDecoding();
      onDecodeStarted(context, whileDecoding.decodeStarted);
      this.loaded = {
        model,
        context,
        whileDecoding,
        scheduler: new SlotScheduler({ slots: sequences, maxQueue: options.maxQueue, maxWaitMs: options.queueTimeoutMs }),
        slotNumbers: new Map(sequences.map((sequence, number) => [sequence, number])),
        slotOwners: new Map(),
        slotCacheKeys: new Map(),
        groups: new WeakMap(),
        wrappers: new ChatWrappers(model, options.chatTemplate),
        grammars: new Grammars(model.llama),
        vocabularySize: (model.fileInfo.metadata.tokenizer.ggml.tokens as unknown[] | undefined)?.length ?? 0,
        promptCache: options.promptCache.maxBytes > 0
          ? new PromptCache({ maxBytes: options.promptCache.maxBytes, parentDir: options.promptCache.dir, log: options.log })
          : undefined,
      };
      this.state = { state: "ready" };
      options.log.info({
        model: path,
        chatWrapper: this.loaded.wrappers.name,
        contextSize: context.contextSize,
        contextChoice: options.contextSize === "auto"
          ? `auto: the model was trained on ${model.trainContextSize} tokens; ${context.contextSize} per slot fit the free memory`
          : "MODEL_N_CTX",
        kvType: options.kvType,
        slots: options.parallel,
        threads: options.threads,
        ms: Math.round(performance.now() - started),
      }, "model loaded");
    } catch (error) {
      let reason = error instanceof Error ? error.message : String(error);
      // llama.cpp quantizes the KV cache in blocks of 32 values: a model with smaller attention heads cannot use it.
      if (options.kvType !== "f16" && /context/i.test(reason)) reason += ` (MODEL_KV_TYPE=${options.kvType} needs attention heads whose size is a multiple of 32; try f16)`;
      this.state = { state: "failed", reason };
      throw new Error(reason, { cause: error });
    }
  }

  async dispose(): Promise<void> {
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
    const scheduler = this.loaded?.scheduler;
    const slots = this.options.parallel;
    return { slots, busySlots: scheduler === undefined ? 0 : slots - scheduler.idle, queued: scheduler?.queued ?? 0 };
  }

  models(): ModelInfo[] {
    return [{
      id: this.options.alias,
      created: this.created,
      ownedBy: "lals",
      contextLength: this.loaded?.context.contextSize ?? (this.options.contextSize === "auto" ? 0 : this.options.contextSize),
      ...(this.memoryBytes === undefined ? {} : { memoryBytes: this.memoryBytes }),
      ...(this.loaded?.promptCache === undefined ? {} : { promptCache: this.loaded.promptCache.stats() }),
    }];
  }

  async countTokens(request: ChatRequest): Promise<number> {
    const loaded = this.ready();
    return this.prompt(loaded, request).tokens.length;
  }

  async *generate(request: ChatRequest, signal: AbortSignal, options: GenerateOptions = {}): AsyncGenerator<ChatEvent> {
    const loaded = this.ready();
    const group = options.group === undefined ? undefined : this.slotGroup(loaded, options.group, signal);
    let prompt: Prompt;
    let grammar: Awaited<ReturnType<Grammars["get"]>> | undefined;
    let tokenBias: TokenBias | undefined;
    const partition = request.partition ?? "";
    try {
      prompt = this.prompt(loaded, request);
      tokenBias = this.tokenBias(loaded, request.sampling.logitBias);
      grammar = prompt.grammar === undefined ? undefined : await loaded.grammars.get(prompt.grammar);
      const contextSize = loaded.context.contextSize;
      if (prompt.tokens.length >= contextSize) {
        throw new GatewayError("invalid_request",
          `The prompt is ${prompt.tokens.length} tokens long, but the model's context holds ${contextSize} tokens: ${prompt.tokens.length - contextSize + 1} too many. Shorten the ${prompt.kind === "raw" ? "prompt" : "messages"}.`,
          { param: prompt.kind === "raw" ? "prompt" : "messages" });
      }
    } catch (error) {
      group?.forfeit();
      throw error;
    }
    const { tokens } = prompt;
    const contextSize = loaded.context.contextSize;
    const room = contextSize - tokens.length;
    const maxTokens = Math.min(request.sampling.maxTokens ?? room, room);

    const abort = new AbortController();
    const onAbort = (): void => abort.abort(signal.reason);
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, { once: true });

    let sequence: LlamaContextSequence | undefined;
    let generation: Promise<void> | undefined;
    let evaluator: LlamaChat | LlamaCompletion | undefined;
    let released = false;
    let stopPolling = (): void => undefined;
    const release = (): void => {
      if (sequence === undefined || released) return;
      released = true;
      if (request.promptCacheKey === undefined) loaded.slotCacheKeys.delete(sequence);
      else loaded.slotCacheKeys.set(sequence, request.promptCacheKey);
      loaded.scheduler.release(sequence);
    };
    try {
      const ours = (s: LlamaContextSequence): boolean => (loaded.slotOwners.get(s) ?? partition) === partition;
      // A client's prompt cache key names the conversation: the free slot that last served it is the one to continue.
      const keyed = (free: readonly LlamaContextSequence[]): LlamaContextSequence | undefined => request.promptCacheKey === undefined
        ? undefined
        : free.find((s) => loaded.slotCacheKeys.get(s) === request.promptCacheKey && ours(s) && s.contextTokens.length > 0);
      const choose = (free: readonly LlamaContextSequence[]): LlamaContextSequence =>
        keyed(free) ?? chooseSlot(free, tokens, (s) => ({ number: loaded.slotNumbers.get(s)!, tokens: s.contextTokens, reusable: ours(s) })).slot;
      sequence = group === undefined ? await loaded.scheduler.acquire(abort.signal, choose) : await group.take();
      if (abort.signal.aborted) throw abort.signal.reason;
      const held = await this.takeSlot(loaded, sequence, partition, tokens, abort.signal);
      const cachedTokens = Math.max(0, Math.min(held, tokens.length - 1));
      yield { type: "start", inputTokens: tokens.length, cachedTokens };

      const queue = new EventQueue<ChatEvent>({
        limit: MAX_BUFFERED_EVENTS,
        onOverflow: () => abort.abort(
          new GatewayError("unavailable", `The client left ${MAX_BUFFERED_EVENTS} events unread; generation was cancelled.`, { reason: "client_stalled" })),
        scheduleWake: (wake) => loaded.whileDecoding.defer(wake),
      });
      // node-llama-cpp reads a long prompt in batches and does not stop between them on its own: on abort, what is
      // still queued is dropped, and the slot is cleared, since the batches read are in its cache but not its tokens.
      const slot = sequence;
      if (this.options.poll) stopPolling = eventLoopPoll.hold();
      let produced = false;
      const stopReading = (): void => cancelPendingEvaluation(slot, cancellationOf(abort.signal));
      abort.signal.addEventListener("abort", stopReading, { once: true });
      const blocks = new BlockTracker((event) => {
        produced = true;
        queue.push(event);
      });
      const meter = sequence.tokenMeter;
      const outputBefore = meter.usedOutputTokens;
      let thinkingTokens = 0;
      const end = (stopReason: StopReason, stopSequence?: string): void => {
        blocks.close();
        // A run cut by max_tokens generated exactly that many; the meter may not have counted the last sampled token.
        const outputTokens = stopReason === "max_tokens" ? maxTokens : meter.usedOutputTokens - outputBefore;
        queue.push({
          type: "end",
          stopReason,
          ...(stopSequence === undefined ? {} : { stopSequence }),
          usage: { inputTokens: tokens.length, cachedTokens, outputTokens, thinkingTokens: Math.min(thinkingTokens, outputTokens) },
        });
      };
      const { sampling } = request;
      const common = {
        maxTokens,
        temperature: sampling.temperature ?? this.options.defaults.temperature,
        topP: sampling.topP ?? this.options.defaults.topP,
        ...(sampling.topK === undefined ? {} : { topK: sampling.topK }),
        // node-llama-cpp's default seed is the current second: identical requests in one second would sample alike.
        seed: sampling.seed ?? randomInt(2 ** 31),
        ...(sampling.stop.length === 0 ? {} : { customStopTriggers: sampling.stop }),
        // Off unless asked for: node-llama-cpp's default (penalty 1) changes nothing but still gathers the last 64
        // tokens for the sampler on every token.
        repeatPenalty: sampling.presencePenalty === undefined && sampling.frequencyPenalty === undefined
          ? false as const
          : { penalty: 1, presencePenalty: sampling.presencePenalty ?? 0, frequencyPenalty: sampling.frequencyPenalty ?? 0 },
        ...(tokenBias === undefined ? {} : { tokenBias }),
        signal: abort.signal,
      };

      let run: Promise<{ metadata: CompletionMetadata; calls: FinishedCall[] }>;
      if (prompt.kind === "raw") {
        const completion = new LlamaCompletion({ contextSequence: sequence, autoDisposeSequence: false });
        evaluator = completion;
        run = completion.generateCompletionWithMeta(tokens, {
          ...common,
          ...(grammar === undefined ? {} : { grammar }),
          onTextChunk: (text) => blocks.append("text", text),
        }).then((response) => ({ metadata: response.metadata, calls: [] }));
      } else {
        const { history, wrapper, functions } = prompt;
        const chat = new LlamaChat({ contextSequence: sequence, chatWrapper: wrapper, autoDisposeSequence: false });
        evaluator = chat;
        run = chat.generateResponse(history, {
          ...common,
          ...(request.thinking?.budgetTokens === undefined ? {} : { budgets: { thoughtTokens: request.thinking.budgetTokens } }),
          onResponseChunk: (chunk) => {
            if (chunk.type === "segment") thinkingTokens += chunk.tokens.length;
            blocks.append(chunk.type === "segment" ? "thinking" : "text", chunk.text);
          },
          ...(grammar !== undefined ? { grammar } : functions === undefined ? {} : {
            functions,
            documentFunctionParams: true,
            ...(request.parallelToolCalls ? {} : { maxParallelFunctionCalls: 1 }),
            onFunctionCallParamsChunk: (chunk) => blocks.appendCall(chunk.callIndex, chunk.functionName, chunk.paramsChunk, chunk.done),
          }),
        }).then((response) => ({
          metadata: response.metadata,
          calls: (response.functionCalls ?? []).map((call) => ({ name: call.functionName, params: call.params })),
        }));
      }
      generation = run.then(({ metadata, calls }) => {
        blocks.completeCalls(calls);
        const stopSequence = metadata.stopReason === "customStopTrigger"
          ? metadata.customStopTrigger.map((t) => (typeof t === "string" ? t : "")).join("")
          : undefined;
        end(STOP_REASONS[metadata.stopReason] ?? "end_turn", stopSequence);
      }, (error: unknown) => {
        if (abort.signal.aborted) {
          // A client that left needs nothing more; a server-side cancellation (shutdown) tells the client why.
          if (signal.reason instanceof GatewayError) queue.push({ type: "error", error: signal.reason });
          return;
        }
        if (error instanceof LlamaJsonSchemaValidationError) {
          // The grammar let the model write arguments that parse outside the schema (an integer too long for a
          // double, say): the call was streamed as written, so it ends as a tool call rather than a failure.
          this.options.log.warn({ err: error }, "tool call arguments outside their schema");
          end("tool_use");
          return;
        }
        this.options.log.error({ err: error }, "generation failed");
        queue.push({ type: "error", error: new GatewayError("internal", "Generation failed inside the engine.", { cause: error }) });
      }).finally(async () => {
        // The slot is free once generation ends, whether or not the consumer has read the events yet.
        abort.signal.removeEventListener("abort", stopReading);
        evaluator?.dispose({ disposeSequence: false });
        stopPolling();
        if (abort.signal.aborted && !produced) await slot.clearHistory().catch(() => undefined);
        release();
        queue.close();
      });

      yield* queue;
    } finally {
      abort.abort();
      signal.removeEventListener("abort", onAbort);
      await generation;
      stopPolling();
      release();
    }
  }

  /**
   * Makes `slot` ready for `tokens` of `partition` and returns how many leading prompt tokens it holds: what another
   * conversation would lose is saved to the prompt cache first, another partition's tokens are dropped (neither
   * reused nor reported), and a saved state holding more of the prompt is loaded. The slot becomes the partition's
   * only here, so a request gone before this point leaves it, and its tokens, to their owner.
   */
  private async takeSlot(loaded: Loaded, slot: LlamaContextSequence, partition: string, tokens: readonly Token[], signal: AbortSignal): Promise<number> {
    const owner = loaded.slotOwners.get(slot) ?? partition;
    const before = slot.contextTokens;
    // What the slot keeps of the prompt: all of it is lost when it was another partition's.
    const kept = owner === partition ? commonPrefixLength(before, tokens) : 0;
    await loaded.promptCache?.saveBeforeLosing(slot, before, owner, kept);
    if (signal.aborted) throw signal.reason;
    if (owner !== partition && before.length > 0) await slot.clearHistory();
    loaded.slotOwners.set(slot, partition);
    return loaded.promptCache === undefined ? kept : loaded.promptCache.restore(slot, partition, tokens, kept);
  }

  private slotGroup(loaded: Loaded, group: GenerationGroup, signal: AbortSignal): SlotGroup<LlamaContextSequence> {
    let slots = loaded.groups.get(group);
    if (slots === undefined) {
      slots = new SlotGroup({ size: group.size, acquire: (count) => loaded.scheduler.acquireMany(count, signal), release: (slot) => loaded.scheduler.release(slot) });
      loaded.groups.set(group, slots);
    }
    return slots;
  }

  private ready(): Loaded {
    if (this.loaded !== undefined) return this.loaded;
    const reason = this.state.state === "failed" ? `the model failed to load: ${this.state.reason}` : "the model is still loading";
    throw new GatewayError("unavailable", `Not ready: ${reason}.`, { retryAfter: 5 });
  }

  private prompt(loaded: Loaded, request: ChatRequest): Prompt {
    const grammar = grammarSpec(request);
    // Raw completion: the text as given, special-token markup included, as llama-server reads it.
    if (request.prompt !== undefined) return { kind: "raw", grammar, tokens: this.rawTokens(loaded, request.prompt) };
    const history = toChatHistory(request);
    const { functions, forced, unenforced } = toFunctions(request);
    if (unenforced.length > 0) this.options.log.debug({ unenforced }, "tool schema constraints the grammar does not enforce");
    // Structured output is the reply itself: a grammar-bound reply does not think first.
    const thinking = grammar !== undefined ? "off"
      : request.thinking?.enabled === undefined ? this.options.defaults.thinking : request.thinking.enabled ? "on" : "off";
    const wrapper = loaded.wrappers.pick(thinking, forced);
    const { contextText } = wrapper.generateContextState({ chatHistory: history, availableFunctions: functions, documentFunctionParams: true });
    return { kind: "chat", history, wrapper, functions, grammar, tokens: contextText.tokenize(loaded.model.tokenizer) };
  }

  /** An empty prompt starts from the beginning-of-text token, as llama-server does; a model without one refuses it. */
  private rawTokens(loaded: Loaded, prompt: string): Token[] {
    const tokens = loaded.model.tokenize(prompt, true);
    if (tokens.length > 0) return tokens;
    const start = loaded.model.tokens.bos ?? loaded.model.tokens.eos;
    if (start === null) throw new GatewayError("invalid_request", "The prompt is empty, and this model has no beginning-of-text token to start from.", { param: "prompt" });
    return [start];
  }

  /** OpenAI-style logit bias (token id → -100…100) as node-llama-cpp's TokenBias: -100 bans, others shift the logit. */
  private tokenBias(loaded: Loaded, logitBias: Readonly<Record<number, number>> | undefined): TokenBias | undefined {
    if (logitBias === undefined || Object.keys(logitBias).length === 0) return undefined;
    const bias = new TokenBias(loaded.model.tokenizer);
    for (const [id, value] of Object.entries(logitBias)) {
      const token = Number(id);
      if (!Number.isInteger(token) || token < 0 || token >= loaded.vocabularySize) {
        throw new GatewayError("invalid_request", `logit_bias names token ${id}, outside this model's vocabulary of ${loaded.vocabularySize} tokens.`, { param: "logit_bias" });
      }
      bias.set(token as Token, value <= -100 ? "never" : { logit: value });
    }
    return bias;
  }
}
