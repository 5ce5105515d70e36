// LALSClient: both protocols, and the universal endpoint, through one small object built on fetch.
import type { Message, MessageCreateParamsNonStreaming, RawMessageStreamEvent } from "@anthropic-ai/sdk/resources/messages";
import type { ChatCompletion, ChatCompletionChunk, ChatCompletionCreateParamsNonStreaming } from "openai/resources/chat/completions";
import { LALSError, type ClientProtocol } from "./errors.js";
import { readEvents } from "../core/read-sse.js";

export interface LALSClientOptions {
  /** Where LALS listens, e.g. `http://127.0.0.1:8000`. */
  baseURL: string;
  /** Sent as both `Authorization: Bearer` and `x-api-key`, whichever the server checks. */
  apiKey?: string;
  /** Extra headers on every request. */
  headers?: Record<string, string>;
  fetch?: typeof fetch;
}

export interface RequestOptions {
  signal?: AbortSignal;
  headers?: Record<string, string>;
}

type OpenAIChatRequest = Omit<ChatCompletionCreateParamsNonStreaming, "stream">;
type AnthropicMessageRequest = Omit<MessageCreateParamsNonStreaming, "stream">;

/** What /v1/inference answered, tagged with the protocol it detected. */
export type InferenceResult =
  | { protocol: "openai"; response: ChatCompletion }
  | { protocol: "anthropic"; response: Message };
export type InferenceEvent =
  | { protocol: "openai"; event: ChatCompletionChunk }
  | { protocol: "anthropic"; event: RawMessageStreamEvent };

export class LALSClient {
  private readonly fetch: typeof fetch;

  constructor(private readonly options: LALSClientOptions) {
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  /** POST /v1/chat/completions. */
  async chatOpenAI(request: OpenAIChatRequest, options?: RequestOptions): Promise<ChatCompletion> {
    return (await this.post("/v1/chat/completions", { ...request, stream: false }, options)).json() as Promise<ChatCompletion>;
  }

  /** POST /v1/chat/completions with `stream: true`: the chunks, as they arrive. */
  async *streamOpenAI(request: OpenAIChatRequest, options?: RequestOptions): AsyncGenerator<ChatCompletionChunk> {
    for await (const { data } of this.stream("/v1/chat/completions", request, options)) yield data as ChatCompletionChunk;
  }

  /** POST /v1/messages. */
  async chatAnthropic(request: AnthropicMessageRequest, options?: RequestOptions): Promise<Message> {
    return (await this.post("/v1/messages", { ...request, stream: false }, options)).json() as Promise<Message>;
  }

  /** POST /v1/messages with `stream: true`: the events (pings left out), as they arrive. */
  async *streamAnthropic(request: AnthropicMessageRequest, options?: RequestOptions): AsyncGenerator<RawMessageStreamEvent> {
    for await (const { data } of this.stream("/v1/messages", request, options)) {
      if ((data as { type: string }).type !== "ping") yield data as RawMessageStreamEvent;
    }
  }

  /** POST /v1/inference: either protocol's request; the answer comes back in the same protocol, tagged with it. */
  async inference(request: OpenAIChatRequest | AnthropicMessageRequest, options?: RequestOptions): Promise<InferenceResult> {
    const response = await this.post("/v1/inference", { ...request, stream: false }, options);
    return { protocol: protocolOf(response), response: await response.json() } as InferenceResult;
  }

  /** POST /v1/inference with `stream: true`. */
  async *streamInference(request: OpenAIChatRequest | AnthropicMessageRequest, options?: RequestOptions): AsyncGenerator<InferenceEvent> {
    for await (const { protocol, data } of this.stream("/v1/inference", request, options)) {
      if ((data as { type?: string }).type !== "ping") yield { protocol, event: data } as InferenceEvent;
    }
  }

  private async post(path: string, body: unknown, options: RequestOptions = {}): Promise<Response> {
    const key = this.options.apiKey;
    const response = await this.fetch(new URL(path, this.options.baseURL), {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(key === undefined ? {} : { authorization: `Bearer ${key}`, "x-api-key": key }),
        ...this.options.headers,
        ...options.headers,
      },
      body: JSON.stringify(body),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
    if (!response.ok) {
      const text = await response.text();
      let parsed: unknown = text;
      try { parsed = JSON.parse(text); } catch { /* not JSON: reported as text */ }
      throw LALSError.from(response.status, parsed, requestIdOf(response));
    }
    return response;
  }

  private async *stream(path: string, request: object, options?: RequestOptions): AsyncGenerator<{ protocol: ClientProtocol; data: unknown }> {
    const response = await this.post(path, { ...request, stream: true }, options);
    if (response.body === null) throw LALSError.from(response.status, "empty body", requestIdOf(response));
    const protocol = protocolOf(response, path);
    for await (const event of readEvents(response.body)) {
      // Events already buffered when the caller aborts are not handed out.
      options?.signal?.throwIfAborted();
      const data: unknown = JSON.parse(event.data);
      // A failure after the stream began: Anthropic's `error` event, or OpenAI's `{"error": …}` frame.
      if (event.event === "error" || (typeof data === "object" && data !== null && "error" in data)) {
        throw LALSError.from(undefined, data, requestIdOf(response));
      }
      yield { protocol, data };
    }
  }
}

const requestIdOf = (response: Response): string | null => response.headers.get("request-id") ?? response.headers.get("x-request-id");

function protocolOf(response: Response, path = ""): ClientProtocol {
  const declared = response.headers.get("x-lals-protocol");
  if (declared === "openai" || declared === "anthropic") return declared;
  return path.startsWith("/v1/messages") ? "anthropic" : "openai";
}
