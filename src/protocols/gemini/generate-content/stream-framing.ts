// The two framings of streamGenerateContent: with `alt=sse`, server-sent events whose data is one chunk each, written
// as Google writes them (`data: {…}\r\n\r\n`); without it, one JSON array of the chunks that grows as they come.

export type Framing = "sse" | "json-array";

export const JSON_ARRAY_CONTENT_TYPE = "application/json; charset=utf-8";

/** Frames chunks one by one: `open()` first, `close()` last. */
export class ChunkWriter {
  private written = 0;

  constructor(readonly framing: Framing) {}

  open(): string {
    return this.framing === "sse" ? "" : "[";
  }

  chunk(body: unknown): string {
    const json = JSON.stringify(body);
    if (this.framing === "sse") return `data: ${json}\r\n\r\n`;
    return this.written++ === 0 ? json : `,\r\n${json}`;
  }

  close(): string {
    return this.framing === "sse" ? "" : "]";
  }
}

/** `alt=sse` asks for events; anything else (json, absent) for the array. */
export const framingFor = (alt: string | undefined): Framing => (alt?.toLowerCase() === "sse" ? "sse" : "json-array");
