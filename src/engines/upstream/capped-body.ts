// Reading an upstream's answer without letting it decide how much memory that takes.

/** At most `maxBytes` of `body`, as text; the rest is cancelled unread. */
export async function readCappedText(body: ReadableStream<Uint8Array> | null, maxBytes: number): Promise<string> {
  if (body === null) return "";
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < maxBytes) {
      const next = await reader.read();
      if (next.done) break;
      chunks.push(next.value.subarray(0, maxBytes - size));
      size += next.value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}

export class EventTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`a server-sent event exceeded ${maxBytes} bytes`);
    this.name = "EventTooLargeError";
  }
}

const LF = 0x0a;
const CR = 0x0d;

/**
 * Passes an SSE byte stream through unchanged, failing it with EventTooLargeError once an event (the bytes between two
 * blank lines, which bounds every line too) grows past `maxBytes`: an SSE parser buffers an unfinished event whole.
 */
export function capEventSize(maxBytes: number): TransformStream<Uint8Array, Uint8Array> {
  let line = 0;
  let event = 0;
  let previous = -1;
  return new TransformStream({
    transform(chunk, controller) {
      for (const byte of chunk) {
        if (byte === LF && previous === CR) {
          previous = byte;
          continue;
        }
        if (byte === LF || byte === CR) {
          if (line === 0) event = 0;
          line = 0;
        } else {
          line++;
          if (++event > maxBytes) throw new EventTooLargeError(maxBytes);
        }
        previous = byte;
      }
      controller.enqueue(chunk);
    },
  });
}
