import assert from "node:assert/strict";
import { test } from "node:test";
import { LineTooLongError, readJsonLines } from "./read-ndjson.js";

const bodyOf = (...chunks: string[]): ReadableStream<Uint8Array> => new ReadableStream({
  start(controller) {
    for (const chunk of chunks) controller.enqueue(new TextEncoder().encode(chunk));
    controller.close();
  },
});

test("lines split across chunks come whole, blank lines skipped, the last line without its newline kept", async () => {
  const lines: string[] = [];
  for await (const line of readJsonLines(bodyOf('{"a":', '1}\n\n{"b"', ':2}\r\n{"c":3}'), 100)) lines.push(line);
  assert.deepEqual(lines.map((l) => JSON.parse(l)), [{ a: 1 }, { b: 2 }, { c: 3 }]);
});

test("a line that grows past the bound fails the read", async () => {
  await assert.rejects(async () => {
    for await (const _ of readJsonLines(bodyOf("x".repeat(60), "y".repeat(60)), 100)) { /* drain */ }
  }, LineTooLongError);
});
