// The generate answer of an endpoint that makes one generation per request.
import type { ChatEvent } from "../core/chat-event.js";
import type { ChatRequest } from "../core/chat-request.js";
import type { ChatResult } from "../core/collect.js";
import type { Indexed } from "../core/merge-streams.js";
import type { GenerateAnswer } from "./endpoint.js";

export interface SingleGeneration extends Omit<GenerateAnswer, "type" | "requests" | "renderStream" | "render"> {
  request: ChatRequest;
  renderStream(events: AsyncIterable<ChatEvent>): AsyncIterable<string>;
  render(result: ChatResult): unknown;
}

export function single({ request, renderStream, render, ...rest }: SingleGeneration): GenerateAnswer {
  return { ...rest, type: "generate", requests: [request], renderStream: (events) => renderStream(values(events)), render: ([result]) => render(result!) };
}

async function* values<T>(items: AsyncIterable<Indexed<T>>): AsyncGenerator<T> {
  for await (const item of items) yield item.value;
}
