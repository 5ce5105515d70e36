// A fetch response's NDJSON body (one JSON value a line, as Ollama streams) → each line's text, no line longer than
// `maxLineChars` (a reader buffers an unfinished line whole). Used by upstream engines.

export class LineTooLongError extends Error {
  constructor(readonly maxChars: number) {
    super(`a line longer than ${maxChars} characters`);
  }
}

export async function* readJsonLines(body: ReadableStream<Uint8Array>, maxLineChars: number): AsyncGenerator<string> {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let pending = "";
  try {
    for (let next = await reader.read(); !next.done; next = await reader.read()) {
      pending += next.value;
      let newline: number;
      while ((newline = pending.indexOf("\n")) !== -1) {
        const line = pending.slice(0, newline).trim();
        pending = pending.slice(newline + 1);
        if (line !== "") yield line;
      }
      if (pending.length > maxLineChars) throw new LineTooLongError(maxLineChars);
    }
    if (pending.trim() !== "") yield pending.trim();
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}
