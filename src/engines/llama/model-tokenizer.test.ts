import assert from "node:assert/strict";
import { test } from "node:test";
import { LlamaVocabularyType } from "node-llama-cpp";
import { pieceOf, vocabularyBytes } from "./model-tokenizer.js";

test("byte-level BPE entries read back as their bytes: Ġ is a space, and bytes outside ASCII come whole", () => {
  assert.deepEqual([...vocabularyBytes(LlamaVocabularyType.bpe, "Ġhello")!], [...Buffer.from(" hello")]);
  // "我" is e6 88 91; GPT-2's alphabet writes 0xe6 as æ and 0x88 as Ī (0x100 + its place among unprintable bytes).
  assert.deepEqual([...vocabularyBytes(LlamaVocabularyType.bpe, "æĪ")!], [0xe6, 0x88]);
  assert.deepEqual([...vocabularyBytes(LlamaVocabularyType.bpe, "æĪĳ")!], [...Buffer.from("我")]);
  assert.equal(vocabularyBytes(LlamaVocabularyType.bpe, "\u4e00"), undefined);
});

test("SentencePiece byte tokens are their byte; other entries their text with ▁ as a space", () => {
  assert.deepEqual([...vocabularyBytes(LlamaVocabularyType.spm, "<0xE6>")!], [0xe6]);
  assert.deepEqual([...vocabularyBytes(LlamaVocabularyType.spm, "\u2581hi")!], [...Buffer.from(" hi")]);
  assert.equal(vocabularyBytes(LlamaVocabularyType.wpm, "hi"), undefined);
});

test("a piece is its text when valid UTF-8, else its bytes, as llama-server gives them", () => {
  assert.equal(pieceOf("hi", Buffer.from("hi")), "hi");
  assert.deepEqual(pieceOf("\uFFFD", Buffer.from([0xe6, 0x88])), [0xe6, 0x88]);
  // A replacement character the vocabulary really holds is text.
  assert.equal(pieceOf("\uFFFD", Buffer.from("\uFFFD")), "\uFFFD");
  assert.equal(pieceOf("\uFFFD", undefined), "\uFFFD");
});
