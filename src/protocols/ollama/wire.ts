// Ollama's wire shapes, typed from its official client (ollama-js) so drift from what that client reads fails to compile.
// The client types times as Date and model_info as a Map; on the wire they are RFC 3339 strings and a JSON object.
import type { ChatResponse, GenerateResponse, Logprob, Message, ModelDetails, ToolCall } from "ollama";

/** A type with its Date fields as the strings JSON carries. */
export type OnWire<T> = { [K in keyof T]: T[K] extends Date ? string : T[K] };

/** Ollama's server sends a call's id (`call_…`) and its position among the reply's calls; the client's type predates both. */
export type OllamaToolCall = ToolCall & { id?: string; function: ToolCall["function"] & { index?: number } };

export type OllamaMessage = Omit<Message, "tool_calls" | "images"> & { images?: string[]; tool_calls?: OllamaToolCall[]; tool_call_id?: string };

/** What a streamed line and a whole reply share. */
export type ReplyHead = OnWire<Pick<ChatResponse, "model" | "created_at">>;

/** The statistics of a finished reply, in nanoseconds and tokens. */
export type FinalStats = Pick<ChatResponse, "done_reason" | "total_duration" | "load_duration" | "prompt_eval_count" | "prompt_eval_duration" | "eval_count" | "eval_duration">;

export type ChatLine = ReplyHead & { message: OllamaMessage; done: boolean; logprobs?: Logprob[] } & Partial<FinalStats>;

export type GenerateLine = ReplyHead & Pick<GenerateResponse, "done" | "thinking" | "logprobs"> & { response: string; tool_calls?: OllamaToolCall[] } & Partial<FinalStats>;

export type { Logprob, ModelDetails };
