// Canonical events → Ollama /api/generate NDJSON: `response` pieces (`done: false`), then the final line with the
// statistics; a failure after the start is a line `{"error": "…"}`.
import type { ChatEvent } from "../../../core/chat-event.js";
import { ndjsonLine } from "../ndjson.js";
import { replyHead, type ReplyContext } from "../reply-context.js";
import { replyPieces, type ReplyPiece } from "../reply-pieces.js";
import type { GenerateLine } from "../wire.js";

function line(piece: ReplyPiece, context: ReplyContext): GenerateLine | { error: string } {
  const head = replyHead(context);
  switch (piece.type) {
    case "content":
      return { ...head, response: piece.text, ...(piece.logprobs === undefined ? {} : { logprobs: piece.logprobs }), done: false };
    case "thinking":
      return { ...head, response: "", thinking: piece.text, done: false };
    case "tool_call":
      return { ...head, response: "", tool_calls: [piece.call], done: false };
    case "done":
      return { ...head, response: "", done: true, ...piece.stats };
    case "error":
      return { error: piece.message };
    default: {
      const never: never = piece;
      throw new Error(`unknown piece ${JSON.stringify(never)}`);
    }
  }
}

export async function* renderGenerateStream(events: AsyncIterable<ChatEvent>, context: ReplyContext): AsyncGenerator<string> {
  for await (const piece of replyPieces(events, context)) yield ndjsonLine(line(piece, context));
}
