// A fetch response's SSE body → its events, parsed by eventsource-parser; stops at OpenAI's `[DONE]`. Used by the client and by upstream engines.
import { EventSourceParserStream, type EventSourceMessage } from "eventsource-parser/stream";

export async function* readEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<EventSourceMessage> {
  const reader = body.pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream()).getReader();
  try {
    for (let next = await reader.read(); !next.done; next = await reader.read()) {
      if (next.value.data === "[DONE]") return;
      yield next.value;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}
