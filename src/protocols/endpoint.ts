// An endpoint is one record: its method and paths, its protocol, its bounded request schemas, how it answers (pure
// translation: parse the wire into canonical requests, render results back), and its error shape. The generic server
// (http/serve-endpoint.ts) serves any record with every cross-cutting check, so no endpoint can skip one.
import type { IncomingHttpHeaders } from "node:http";
import type { z } from "zod";
import type { ChatEvent } from "../core/chat-event.js";
import type { ChatRequest } from "../core/chat-request.js";
import type { ChatResult } from "../core/collect.js";
import type { EmbedRequest, EmbedResult } from "../core/embed-request.js";
import type { GatewayError } from "../core/gateway-error.js";
import type { Indexed } from "../core/merge-streams.js";
import type { ProtocolClient } from "../core/protocol-client.js";
import type { RankRequest, RankResult } from "../core/rank-request.js";
import type { DetokenizeRequest, TokenizeRequest, TokenizeResult } from "../core/tokenize-request.js";
import type { ModelInfo } from "../engines/engine.js";
import type { ResponsesState } from "./openai/responses/state.js";
import type { ParseOptions } from "./validate.js";

export type Protocol = "openai" | "anthropic" | "gemini" | "ollama";

/** A GatewayError as a protocol's status and body. */
export type ErrorShape = (error: GatewayError, requestId: string) => { status: number; body: unknown };

/** What the endpoints keep between requests, one per server (only the Responses API keeps anything). */
export interface EndpointState {
  responses: ResponsesState;
}

/** What an endpoint is given: its validated input, what the server knows of the caller, and the server's state. */
export interface EndpointInput<B, P, Q> {
  body: B;
  params: P;
  query: Q;
  /** The caller's tenant (its verified key's id, or anonymous): everything kept between requests is kept apart by it. */
  partition: string;
  requestId: string;
  headers: IncomingHttpHeaders;
  /** The protocol answering: the record's own, or for a shared path the one the client speaks. */
  protocol: Protocol;
  options: ParseOptions;
  state: EndpointState;
}

/** Generate replies to one or more canonical requests (OpenAI's `n`, a list of prompts), side by side in parallel slots. */
export interface GenerateAnswer {
  type: "generate";
  /** Every request names the same model. */
  requests: ChatRequest[];
  stream: boolean;
  /** The protocol's stream (SSE frames unless `streamContentType` says otherwise) from the generations' events, each tagged with its request's index. */
  renderStream(events: AsyncIterable<Indexed<ChatEvent>>): AsyncIterable<string>;
  /** The stream's content type when it is not SSE (Ollama's NDJSON, Gemini's JSON array). */
  streamContentType?: string;
  render(results: ChatResult[]): unknown;
  /** Also cancels the generations when it aborts (POST /v1/responses/{id}/cancel). */
  cancel?: AbortSignal;
  /** The answer to a failure before the response was committed, or a throw of the error to send (as given, or mapped). */
  recover?(error: unknown): unknown;
  /** Runs once the answer is over: sent, streamed to its end, failed or abandoned. */
  done?(): void;
}

export type Answer =
  | { type: "json"; body: unknown }
  | GenerateAnswer
  /** The exact input tokens the request would generate from. */
  | { type: "count_tokens"; request: ChatRequest; render(count: number): unknown }
  /** Vectors for the request's inputs, from a model that embeds. */
  | { type: "embed"; request: EmbedRequest; render(result: EmbedResult): unknown }
  /** Relevance scores of the request's documents to its query, from a reranker. */
  | { type: "rank"; request: RankRequest; render(result: RankResult): unknown }
  /** Text as the model's tokens, or a chat as the tokens of the prompt a generation would read. */
  | { type: "tokenize"; request: TokenizeRequest; render(result: TokenizeResult): unknown }
  /** Tokens back as the model's text. */
  | { type: "detokenize"; request: DetokenizeRequest; render(content: string): unknown }
  /** The models the router serves, aliases included; with `withFiles`, local models carry their GGUF file's details. */
  | { type: "models"; withFiles?: boolean; render(models: ModelInfo[]): unknown }
  /** Fetches the file of the local model `model` names, ahead of its first use: progress as a stream, or the end alone. */
  | { type: "pull"; model: string; stream: boolean; streamContentType: string; renderStream(progress: AsyncIterable<PullEvent>): AsyncIterable<string>; render(done: PullEvent): unknown }
  /** Loads `model` and keeps it (`seconds` > 0 or < 0: the server's idle rule), or unloads it now (`seconds` 0). */
  | { type: "keep_alive"; model: string; seconds: number; render(model: ModelInfo): unknown };

/** A pull's progress: the download's bytes so far, then its end (the file's local path). */
export type PullEvent = { type: "progress"; total: number; completed: number } | { type: "done"; path: string };

export interface Endpoint<B = unknown, P = unknown, Q = unknown> {
  /** Unique among the records: `openai-chat`. /v1/inference names the endpoint it detected by it. */
  name: string;
  /** `by-client` for a path several protocols share (/v1/models): the client's headers choose. */
  protocol: Protocol | "by-client";
  method: "GET" | "POST" | "DELETE";
  /** In fastify's syntax (`/v1/responses/:id`). */
  paths: readonly string[];
  body?: z.ZodType<B>;
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  /** Overrides the protocol's error shape (the Responses API differs from Chat Completions in two codes). */
  errors?: ErrorShape;
  answer(input: EndpointInput<B, P, Q>): Answer | Promise<Answer>;
  /** The client half of the same wire, for upstream engines (protocols/clients.ts names them). */
  client?: ProtocolClient;
}

/** A record with its types inferred from its schemas. */
export function defineEndpoint<B = undefined, P = undefined, Q = undefined>(endpoint: Endpoint<B, P, Q>): Endpoint {
  return endpoint as unknown as Endpoint;
}
