import type { ChatRequest } from "../src/core/chat-request.js";
import { type EmbedRequest, type EmbedResult } from "../src/core/embed-request.js";
import type { RankRequest, RankResult } from "../src/core/rank-request.js";
import type { GatewayError } from "../src/core/gateway-error.js";
import { type GenerationStream } from "../src/core/generation-stream.js";
import type { DetokenizeRequest, TokenizeRequest, TokenizeResult } from "../src/core/tokenize-request.js";
import type { Engine, EngineHealth, EngineOccupancy, ModelInfo } from "../src/engines/engine.js";
export interface Script {
    inputTokens: number;
    /** Each becomes one text delta. */
    deltas: string[];
    /** Before each delta, in ms. */
    delayMs?: number;
    /** Ends with this error after the deltas instead of an end event. */
    failWith?: GatewayError;
}
export declare class ScriptedEngine implements Engine {
    private readonly id;
    private readonly script;
    readonly requests: ChatRequest[];
    readonly embedRequests: EmbedRequest[];
    readonly rankRequests: RankRequest[];
    readonly tokenizeRequests: (TokenizeRequest | DetokenizeRequest)[];
    private busy;
    constructor(id: string, script: Script);
    health(): EngineHealth;
    occupancy(): EngineOccupancy;
    models(): ModelInfo[];
    countTokens(): Promise<number>;
    /** One vector per input, from its length: the same input gives the same vector. */
    embed(request: EmbedRequest): Promise<EmbedResult>;
    /** A document's score from its length: longer documents rank higher. */
    rank(request: RankRequest): Promise<RankResult>;
    /** A text's characters as its tokens; a chat as the scripted input tokens. */
    tokenize(request: TokenizeRequest): Promise<TokenizeResult>;
    detokenize(request: DetokenizeRequest): Promise<string>;
    generate(request: ChatRequest, signal: AbortSignal): GenerationStream;
    private run;
    /** The scripted deltas, at most the request's max tokens of them. */
    private scripted;
}
