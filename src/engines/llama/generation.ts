// One reply generated on a slot: node-llama-cpp's LlamaChat (or LlamaCompletion, for a raw prompt) run with the
// request's sampling, its callbacks turned into block events in a bounded queue, the usage counted, and a failure
// mapped to the error event the client gets.
import { LlamaChat, LlamaCompletion, LlamaJsonSchemaValidationError, type LlamaChatResponse, type LlamaCompletionResponse, type LlamaGrammar, type Token, type TokenBias } from "node-llama-cpp";
import type { Logger } from "pino";
import { cancellationOf, cancelWith } from "../../core/cancel-cause.js";
import type { ChatEvent, StopReason } from "../../core/chat-event.js";
import type { ChatRequest } from "../../core/chat-request.js";
import { GatewayError } from "../../core/gateway-error.js";
import { BlockTracker, type FinishedCall } from "./block-tracker.js";
import { eventLoopPoll } from "./event-loop-poll.js";
import { EventQueue } from "./event-queue.js";
import { isGrammarFailure } from "./grammars.js";
import { cancelPendingEvaluation, reportTokenLogprobs } from "./node-llama-cpp-patch.js";
import type { Prompt } from "./prompt.js";
import { samplingOptions, type SamplingDefaults } from "./sampling-options.js";
import type { Slot } from "./slot.js";
import { TokenLogprobs } from "./token-logprobs.js";
import type { WhileDecoding } from "./while-decoding.js";

/** Events a consumer may leave unread before its generation is cancelled: minutes of output at any real speed. */
const MAX_BUFFERED_EVENTS = 16384;

const STOP_REASONS: Record<string, StopReason> = {
  eogToken: "end_turn",
  stopGenerationTrigger: "end_turn",
  customStopTrigger: "stop_sequence",
  maxTokens: "max_tokens",
  functionCalls: "tool_use",
};

type Outcome = { metadata: LlamaCompletionResponse["metadata"] | LlamaChatResponse["metadata"]; calls: FinishedCall[] };

export interface GenerationOptions {
  slot: Slot;
  request: ChatRequest;
  prompt: Prompt;
  grammar: LlamaGrammar | undefined;
  tokenBias: TokenBias | undefined;
  maxTokens: number;
  /** Leading prompt tokens the slot already held, as the start event reported them. */
  cachedTokens: number;
  /** Aborted, with a CancelCause, to cancel the generation; it aborts it itself when the consumer stalls. */
  abort: AbortController;
  defaults: SamplingDefaults;
  /** Wakes the consumer while the next decode runs (while-decoding.ts). */
  whileDecoding: WhileDecoding;
  /** Keep the event loop polling while it runs (event-loop-poll.ts). */
  poll: boolean;
  log: Logger;
  /** Called once the run has ended, whether or not the consumer has read its events yet: the slot is free. */
  onEnd: () => void;
}

export class Generation implements AsyncIterable<ChatEvent> {
  /** Settles, never rejecting, once the run has ended and its slot is handed back. */
  readonly done: Promise<void>;
  private readonly queue: EventQueue<ChatEvent>;
  private readonly blocks: BlockTracker;
  private readonly outputBefore: number;
  /** Whether any block event was produced: a run aborted before that leaves its slot's KV cache unaccounted for. */
  private produced = false;
  private thinkingTokens = 0;
  /** The tokens of the text chunk LlamaCompletion is about to hand over (it reports them just before). */
  private pendingTokens: readonly Token[] = [];
  private evaluator: LlamaChat | LlamaCompletion | undefined;
  /** Set when the request asks for token log-probabilities. */
  private readonly logprobs: TokenLogprobs | undefined;

  constructor(private readonly options: GenerationOptions) {
    const { abort, whileDecoding } = options;
    const message = `The client left ${MAX_BUFFERED_EVENTS} events unread; generation was cancelled.`;
    this.queue = new EventQueue({
      limit: MAX_BUFFERED_EVENTS,
      onOverflow: () => cancelWith(abort, { type: "client_stalled", message }),
      scheduleWake: (wake) => whileDecoding.defer(wake),
    });
    this.blocks = new BlockTracker((event) => {
      this.produced = true;
      this.queue.push(event);
    });
    this.outputBefore = options.slot.sequence.tokenMeter.usedOutputTokens;
    const asked = options.request.sampling.logprobs;
    this.logprobs = asked === undefined ? undefined : new TokenLogprobs(options.slot.sequence.model, asked.top);
    this.done = this.run();
  }

  [Symbol.asyncIterator](): AsyncIterator<ChatEvent> {
    return this.queue[Symbol.asyncIterator]();
  }

  private async run(): Promise<void> {
    const { abort, slot, poll } = this.options;
    const stopPolling = poll ? eventLoopPoll.hold() : () => undefined;
    // node-llama-cpp reads a long prompt in batches and does not stop between them on its own: on abort, what is
    // still queued is dropped, and the slot is cleared, since the batches read are in its cache but not its tokens.
    const stopReading = (): void => cancelPendingEvaluation(slot.sequence, cancellationOf(abort.signal));
    abort.signal.addEventListener("abort", stopReading, { once: true });
    reportTokenLogprobs(slot.sequence, this.logprobs);
    try {
      this.finish(await this.evaluate());
    } catch (error) {
      this.fail(error);
    } finally {
      abort.signal.removeEventListener("abort", stopReading);
      reportTokenLogprobs(slot.sequence, undefined);
      this.evaluator?.dispose({ disposeSequence: false });
      stopPolling();
      if (abort.signal.aborted && !this.produced) await slot.sequence.clearHistory().catch(() => undefined);
      this.options.onEnd();
      this.queue.close();
    }
  }

  private evaluate(): Promise<Outcome> {
    const { slot, request, prompt, grammar, tokenBias, maxTokens, defaults, abort } = this.options;
    const common = samplingOptions(request, { maxTokens, tokenBias, defaults, signal: abort.signal });
    const contextSequence = slot.sequence;
    if (prompt.kind === "raw") {
      const completion = new LlamaCompletion({ contextSequence, autoDisposeSequence: false });
      this.evaluator = completion;
      return completion.generateCompletionWithMeta(prompt.tokens, {
        ...common,
        ...(grammar === undefined ? {} : { grammar }),
        ...(this.logprobs === undefined
          ? { onTextChunk: (text: string) => this.blocks.append("text", text) }
          : { onToken: (tokens: Token[]) => { this.pendingTokens = tokens; }, onTextChunk: (text: string) => this.blocks.append("text", text, this.logprobs?.take(this.pendingTokens)) }),
      }).then((response) => ({ metadata: response.metadata, calls: [] }));
    }
    const { history, wrapper, functions } = prompt;
    const chat = new LlamaChat({ contextSequence, chatWrapper: wrapper, autoDisposeSequence: false });
    this.evaluator = chat;
    return chat.generateResponse(history, {
      ...common,
      ...(request.thinking?.budgetTokens === undefined ? {} : { budgets: { thoughtTokens: request.thinking.budgetTokens } }),
      onResponseChunk: (chunk) => {
        if (chunk.type === "segment") this.thinkingTokens += chunk.tokens.length;
        const logprobs = this.logprobs?.take(chunk.tokens);
        this.blocks.append(chunk.type === "segment" ? "thinking" : "text", chunk.text, chunk.type === "segment" ? undefined : logprobs);
      },
      ...(grammar !== undefined ? { grammar } : functions === undefined ? {} : {
        functions,
        documentFunctionParams: true,
        ...(request.parallelToolCalls ? {} : { maxParallelFunctionCalls: 1 }),
        onFunctionCallParamsChunk: (chunk) => this.blocks.appendCall(chunk.callIndex, chunk.functionName, chunk.paramsChunk, chunk.done),
      }),
    }).then((response) => ({
      metadata: response.metadata,
      calls: (response.functionCalls ?? []).map((call) => ({ name: call.functionName, params: call.params })),
    }));
  }

  private finish({ metadata, calls }: Outcome): void {
    this.blocks.completeCalls(calls);
    const stopSequence = metadata.stopReason === "customStopTrigger"
      ? metadata.customStopTrigger.map((t) => (typeof t === "string" ? t : "")).join("")
      : undefined;
    this.end(STOP_REASONS[metadata.stopReason] ?? "end_turn", stopSequence);
  }

  private fail(error: unknown): void {
    const { abort, log } = this.options;
    if (abort.signal.aborted) {
      // A client that left needs nothing more; a cancellation it is told of (shutdown, a stall) ends its stream.
      const cancelled = cancellationOf(abort.signal);
      if (cancelled.reported) this.queue.push({ type: "error", error: cancelled });
      return;
    }
    if (error instanceof LlamaJsonSchemaValidationError) {
      // The grammar let the model write arguments that parse outside the schema (an integer too long for a
      // double, say): the call was streamed as written, so it ends as a tool call rather than a failure.
      log.warn({ err: error }, "tool call arguments outside their schema");
      this.end("tool_use");
      return;
    }
    if (isGrammarFailure(error)) {
      // LlamaChat builds its function-calling grammars itself; llama-engine compiles the same schemas first, so this is a backstop.
      log.warn({ err: error }, "a tool's schema could not be compiled into a grammar");
      this.queue.push({ type: "error", error: new GatewayError("invalid_request", `This server cannot turn a tool's JSON schema into a grammar (${error.message}).`, { param: "tools", cause: error }) });
      return;
    }
    log.error({ err: error }, "generation failed");
    this.queue.push({ type: "error", error: new GatewayError("internal", "Generation failed inside the engine.", { cause: error }) });
  }

  private end(stopReason: StopReason, stopSequence?: string): void {
    const { maxTokens, prompt, cachedTokens, slot } = this.options;
    this.blocks.close();
    // A run cut by max_tokens generated exactly that many; the meter may not have counted the last sampled token.
    const outputTokens = stopReason === "max_tokens" ? maxTokens : slot.sequence.tokenMeter.usedOutputTokens - this.outputBefore;
    this.queue.push({
      type: "end",
      stopReason,
      ...(stopSequence === undefined ? {} : { stopSequence }),
      usage: { inputTokens: prompt.tokens.length, cachedTokens, outputTokens, thinkingTokens: Math.min(this.thinkingTokens, outputTokens) },
    });
  }
}
