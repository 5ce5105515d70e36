// What a request becomes before generation — the tokens to evaluate, the chat history and wrapper behind them, the
// grammar it needs — built the same way for countTokens and generate, so their counts agree.
import { TokenBias, type ChatHistoryItem, type ChatModelFunctions, type ChatWrapper, type LlamaModel, type Token } from "node-llama-cpp";
import type { Logger } from "pino";
import type { ChatRequest } from "../../core/chat-request.js";
import { GatewayError } from "../../core/gateway-error.js";
import { REQUEST_PARAMS } from "../../core/request-param.js";
import type { ChatWrappers, ThinkingMode } from "./chat-wrappers.js";
import { grammarSpec, type GrammarSpec } from "./grammars.js";
import { toChatHistory } from "./to-chat-history.js";
import { toFunctions } from "./to-functions.js";

export type Prompt = { grammar: GrammarSpec | undefined; tokens: Token[] } & (
  | { kind: "chat"; history: ChatHistoryItem[]; wrapper: ChatWrapper; functions: ChatModelFunctions | undefined }
  | { kind: "raw" });

export interface PromptsOptions {
  model: LlamaModel;
  wrappers: ChatWrappers;
  /** Thinking for a request that does not say. */
  thinking: ThinkingMode;
  log: Logger;
}

export class Prompts {
  private readonly vocabularySize: number;

  constructor(private readonly options: PromptsOptions) {
    this.vocabularySize = (options.model.fileInfo.metadata.tokenizer.ggml.tokens as unknown[] | undefined)?.length ?? 0;
  }

  /** The prompt of `request`, refusing what the model cannot be given. */
  build(request: ChatRequest): Prompt {
    const { model, wrappers, log } = this.options;
    const grammar = grammarSpec(request);
    // Raw completion: the text as given, special-token markup included, as llama-server reads it.
    if (request.prompt !== undefined) return { kind: "raw", grammar, tokens: this.rawTokens(request.prompt) };
    const history = toChatHistory(request);
    const { functions, forced, unenforced } = toFunctions(request);
    if (unenforced.length > 0) log.debug({ unenforced }, "tool schema constraints the grammar does not enforce");
    // Structured output is the reply itself: a grammar-bound reply does not think first.
    const thinking = grammar !== undefined ? "off"
      : request.thinking?.enabled === undefined ? this.options.thinking : request.thinking.enabled ? "on" : "off";
    const wrapper = wrappers.pick(thinking, forced);
    const { contextText } = wrapper.generateContextState({ chatHistory: history, availableFunctions: functions, documentFunctionParams: true });
    return { kind: "chat", history, wrapper, functions, grammar, tokens: contextText.tokenize(model.tokenizer) };
  }

  /** Tokens the reply may take: what the request asks for, within what the context leaves; refuses a prompt it cannot hold. */
  maxTokens(prompt: Prompt, contextSize: number, requested: number | undefined): number {
    const { length } = prompt.tokens;
    if (length >= contextSize) {
      const [what, param] = prompt.kind === "raw" ? ["prompt", REQUEST_PARAMS.prompt] : ["conversation", REQUEST_PARAMS.messages];
      throw new GatewayError("invalid_request",
        `The prompt is ${length} tokens long, but the model's context holds ${contextSize} tokens: ${length - contextSize + 1} too many. Shorten the ${what}.`,
        { param });
    }
    const room = contextSize - length;
    return Math.min(requested ?? room, room);
  }

  /** A logit bias (token id → -100…100) as node-llama-cpp's TokenBias: -100 bans, others shift the logit. */
  tokenBias(logitBias: Readonly<Record<number, number>> | undefined): TokenBias | undefined {
    if (logitBias === undefined || Object.keys(logitBias).length === 0) return undefined;
    const bias = new TokenBias(this.options.model.tokenizer);
    for (const [id, value] of Object.entries(logitBias)) {
      const token = Number(id);
      if (!Number.isInteger(token) || token < 0 || token >= this.vocabularySize) {
        throw new GatewayError("invalid_request", `The logit bias names token ${id}, outside this model's vocabulary of ${this.vocabularySize} tokens.`, { param: REQUEST_PARAMS.logitBias });
      }
      bias.set(token as Token, value <= -100 ? "never" : { logit: value });
    }
    return bias;
  }

  /** An empty prompt starts from the beginning-of-text token, as llama-server does; a model without one refuses it. */
  private rawTokens(text: string): Token[] {
    const { model } = this.options;
    const tokens = model.tokenize(text, true);
    if (tokens.length > 0) return tokens;
    const start = model.tokens.bos ?? model.tokens.eos;
    if (start === null) throw new GatewayError("invalid_request", "The prompt is empty, and this model has no beginning-of-text token to start from.", { param: REQUEST_PARAMS.prompt });
    return [start];
  }
}
