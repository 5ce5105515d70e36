// POST /v1/embeddings through the official clients, against a real server with a chat model and embedding models.
import { createOpenAI } from "@ai-sdk/openai";
import { OpenAIEmbeddings } from "@langchain/openai";
import { ApiError, GoogleGenAI } from "@google/genai";
import { embed, embedMany } from "ai";
import { getLlama, LlamaLogLevel, type LlamaEmbeddingContext, type LlamaModel } from "node-llama-cpp";
import OpenAI from "openai";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { eventually, fixtureModel, startServer, type RunningServer } from "./harness.js";

/** The embedding models' context: an input longer than this (less one) is refused. */
const CONTEXT = 256;
const TEXTS = ["the quick brown fox", "jumps over the lazy dog", "a third, rather longer passage of text to embed"];

const norm = (v: readonly number[]): number => Math.sqrt(v.reduce((s, x) => s + x * x, 0));
/**
 * A text embedded in a batch and alone: with the local build the batch's inputs share decode steps, and llama.cpp's
 * matrix kernels sum in another order for another batch shape; the vectors then agree to float rounding, not bit
 * for bit (3.8e-5 at most on the fixture). Anything else is a wrong vector (another input's differs by ~1).
 */
const BATCH_ROUNDING = 1e-4;

function assertClose(actual: readonly number[], expected: readonly number[], tolerance: number, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  const worst = Math.max(...actual.map((x, i) => Math.abs(x - expected[i]!)));
  assert.ok(worst <= tolerance, `${what}: differs by ${worst}`);
}

describe("embeddings", () => {
  let server: RunningServer;
  let client: OpenAI;
  /** The embedding fixture loaded in this process: the independent count of tokens and the reference vectors. */
  let model: LlamaModel;
  let reference: LlamaEmbeddingContext;
  const tokenCount = (text: string): number =>
    model.tokenize(text).length + (model.tokens.shouldPrependBosToken ? 1 : 0) + (model.tokens.shouldAppendEosToken ? 1 : 0);

  before(async () => {
    const dir = mkdtempSync(join(tmpdir(), "lals-embeddings-"));
    const config = join(dir, "models.json");
    const embedding = await fixtureModel("embedding");
    writeFileSync(config, JSON.stringify({
      models: [
        // Its kind is detected from the GGUF's pooling type.
        { id: "embed", path: embedding, contextSize: CONTEXT, matryoshka: true, aliases: ["text-embedding-3-small"] },
        { id: "embed-plain", path: embedding, contextSize: CONTEXT, kind: "embedding" },
        { id: "chat-embed", path: await fixtureModel(), contextSize: CONTEXT, parallel: 1, embeddings: true },
      ],
    }));
    server = await startServer({ env: { LALS_CONFIG: config } });
    client = new OpenAI({ baseURL: `${server.baseUrl}/v1`, apiKey: "unused", maxRetries: 0 });
    const llama = await getLlama({ build: "never", logLevel: LlamaLogLevel.error });
    model = await llama.loadModel({ modelPath: embedding });
    reference = await model.createEmbeddingContext({ contextSize: CONTEXT, batchSize: CONTEXT, threads: 1 });
  });
  after(async () => {
    await reference.dispose();
    await model.dispose();
    assert.equal(await server.stop(), 0);
  });

  test("the openai SDK's default (base64) and float give the same unit vector, node-llama-cpp's own normalised", async () => {
    const base64 = await client.embeddings.create({ model: "embed", input: TEXTS[0]! });
    const float = await client.embeddings.create({ model: "embed", input: TEXTS[0]!, encoding_format: "float" });
    assert.equal(base64.object, "list");
    assert.equal(base64.model, "embed");
    const [a, b] = [base64.data[0]!.embedding, float.data[0]!.embedding];
    assert.equal(a.length, model.embeddingVectorSize);
    assertClose(a, b, 1e-6, "base64 against float");
    assert.ok(Math.abs(norm(b) - 1) < 1e-6, `unit length: ${norm(b)}`);
    const own = (await reference.getEmbeddingFor(TEXTS[0]!)).vector;
    assertClose(b, own.map((x) => x / norm(own)), 1e-4, "against node-llama-cpp in this process");
    assert.equal(float.usage.prompt_tokens, tokenCount(TEXTS[0]!));
    assert.equal(float.usage.total_tokens, float.usage.prompt_tokens);
  });

  test("a batch comes back in input order, each vector as it is alone, usage the sum of each input's tokens", async () => {
    const batch = await client.embeddings.create({ model: "embed", input: TEXTS, encoding_format: "float" });
    assert.deepEqual(batch.data.map((d) => d.index), [0, 1, 2]);
    for (const [i, text] of TEXTS.entries()) {
      const alone = await client.embeddings.create({ model: "embed", input: text, encoding_format: "float" });
      assertClose(batch.data[i]!.embedding, alone.data[0]!.embedding, BATCH_ROUNDING, `input ${i}`);
    }
    assert.notDeepEqual(batch.data[0]!.embedding, batch.data[1]!.embedding);
    assert.equal(batch.usage.prompt_tokens, TEXTS.reduce((sum, text) => sum + tokenCount(text), 0));
    // The request log counts them as input tokens, as the token budget does.
    await eventually("the request log counts the batch's tokens", () => server.logs.some((l) =>
      l.msg === "request" && l.endpoint === "POST /v1/embeddings" && l.inputTokens === batch.usage.prompt_tokens && l.outputTokens === 0));
  });

  test("texts that start alike, and a text again, embed as they do alone: what a sequence holds is built on, never mixed up", async () => {
    // A shared template as an indexer's chunks have, a repeat within the batch and one across requests, and a text
    // that is the start of another: each is held by a sequence when the next arrives.
    const template = "File: src/engines/llama/embedding-engine.ts, lines 10 to 40. Chunk:";
    const texts = [`${template} one`, `${template} two, longer`, `${template} one`, template, `${template} three`, TEXTS[0]!, `${template} two, longer`];
    const first = await client.embeddings.create({ model: "embed", input: texts, encoding_format: "float" });
    const again = await client.embeddings.create({ model: "embed", input: [...texts].reverse(), encoding_format: "float" });
    for (const [i, text] of texts.entries()) {
      const alone = (await reference.getEmbeddingFor(text)).vector;
      const expected = alone.map((x) => x / norm(alone));
      assertClose(first.data[i]!.embedding, expected, BATCH_ROUNDING, `input ${i}`);
      assertClose(again.data[texts.length - 1 - i]!.embedding, expected, BATCH_ROUNDING, `input ${i} in the second request`);
    }
    assert.equal(first.usage.prompt_tokens, texts.reduce((sum, text) => sum + tokenCount(text), 0), "usage counts every token, held or not");
  });

  test("a chat model's embeddings (no pooling: the last token's output) in a batch are each input's own", async () => {
    const chatReference = await (await model.llama.loadModel({ modelPath: await fixtureModel() })).createEmbeddingContext({ contextSize: CONTEXT, threads: 1 });
    try {
      const batch = await client.embeddings.create({ model: "chat-embed", input: TEXTS, encoding_format: "float" });
      for (const [i, text] of TEXTS.entries()) {
        const alone = (await chatReference.getEmbeddingFor(text)).vector;
        assertClose(batch.data[i]!.embedding, alone.map((x) => x / norm(alone)), BATCH_ROUNDING, `input ${i}`);
      }
    } finally {
      await chatReference.model.dispose();
    }
  });

  test("token ids embed like the text they spell, and an alias names the model", async () => {
    const ids = [...model.tokenize(TEXTS[1]!)];
    const byIds = await client.embeddings.create({ model: "text-embedding-3-small", input: [ids, ids], encoding_format: "float" });
    const byText = await client.embeddings.create({ model: "embed", input: TEXTS[1]!, encoding_format: "float" });
    assertClose(byIds.data[0]!.embedding, byText.data[0]!.embedding, BATCH_ROUNDING, "ids against text");
    assertClose(byIds.data[1]!.embedding, byText.data[0]!.embedding, BATCH_ROUNDING, "second copy");
  });

  test("dimensions keeps the leading components, re-normalised; a model not flagged matryoshka refuses it", async () => {
    const full = (await client.embeddings.create({ model: "embed", input: TEXTS[2]!, encoding_format: "float" })).data[0]!.embedding;
    const short = (await client.embeddings.create({ model: "embed", input: TEXTS[2]!, dimensions: 16 })).data[0]!.embedding;
    assert.equal(short.length, 16);
    assert.ok(Math.abs(norm(short) - 1) < 1e-6);
    const head = full.slice(0, 16);
    assertClose(short, head.map((x) => x / norm(head)), 1e-5, "truncated and re-normalised");
    await assert.rejects(client.embeddings.create({ model: "embed-plain", input: "x", dimensions: 16 }), (error: unknown) =>
      error instanceof OpenAI.BadRequestError && error.param === "dimensions");
    await assert.rejects(client.embeddings.create({ model: "embed", input: "x", dimensions: model.embeddingVectorSize + 1 }), (error: unknown) =>
      error instanceof OpenAI.BadRequestError && error.param === "dimensions");
  });

  test("the Vercel AI SDK's embed and embedMany agree with each other and with the openai SDK", async () => {
    const provider = createOpenAI({ baseURL: `${server.baseUrl}/v1`, apiKey: "unused" });
    const embeddingModel = provider.embedding("embed");
    const one = await embed({ model: embeddingModel, value: TEXTS[0]!, maxRetries: 0 });
    const many = await embedMany({ model: embeddingModel, values: TEXTS, maxRetries: 0 });
    assert.equal(many.embeddings.length, TEXTS.length);
    assertClose(many.embeddings[0]!, one.embedding, BATCH_ROUNDING, "alone against the batch");
    const sdk = await client.embeddings.create({ model: "embed", input: TEXTS[0]!, encoding_format: "float" });
    assertClose(one.embedding, sdk.data[0]!.embedding, 1e-6, "against the openai SDK");
    assert.equal(one.usage.tokens, tokenCount(TEXTS[0]!));
    assert.equal(many.usage.tokens, TEXTS.reduce((sum, text) => sum + tokenCount(text), 0));
  });

  test("LangChain's OpenAIEmbeddings feeds a small in-memory search that finds the planted passage first", async () => {
    const embeddings = new OpenAIEmbeddings({ model: "embed", apiKey: "unused", maxRetries: 0, configuration: { baseURL: `${server.baseUrl}/v1` } });
    const passages = [...TEXTS, "an unrelated sentence about tides", "the planted passage the query repeats word for word"];
    const vectors = await embeddings.embedDocuments(passages);
    assert.equal(vectors.length, passages.length);
    const query = await embeddings.embedQuery(passages.at(-1)!);
    const cosine = (a: readonly number[], b: readonly number[]): number => a.reduce((s, x, i) => s + x * b[i]!, 0) / (norm(a) * norm(b));
    const ranked = vectors.map((vector, index) => ({ index, score: cosine(query, vector) })).sort((a, b) => b.score - a.score);
    assert.equal(ranked[0]!.index, passages.length - 1, JSON.stringify(ranked));
    assert.ok(Math.abs(ranked[0]!.score - 1) < 1e-5, "the same text embeds to the same vector");
    const sdk = await client.embeddings.create({ model: "embed", input: TEXTS[1]!, encoding_format: "float" });
    assertClose(vectors[1]!, sdk.data[0]!.embedding, BATCH_ROUNDING, "a batch against the openai SDK alone");
  });

  test("an input longer than the context is a 400 naming it, unless truncate_prompt_tokens asks to keep the last tokens", async () => {
    const long = Array.from({ length: 200 }, (_, i) => `word${i}`).join(" ");
    assert.ok(tokenCount(long) > CONTEXT, "the long input is past the context");
    await assert.rejects(client.embeddings.create({ model: "embed", input: ["short", long] }), (error: unknown) =>
      error instanceof OpenAI.BadRequestError && error.param === "input[1]" && /input\[1\]/.test(error.message));
    const truncated = await fetch(`${server.baseUrl}/v1/embeddings`, {
      method: "POST", headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "embed", input: [long], truncate_prompt_tokens: 10 }),
    });
    assert.equal(truncated.status, 200);
    const body = (await truncated.json()) as { usage: { prompt_tokens: number }; data: Array<{ embedding: number[] }> };
    assert.equal(body.usage.prompt_tokens, 10);
    const tail = (await reference.getEmbeddingFor(model.tokenize(long).slice(-10))).vector;
    assertClose(body.data[0]!.embedding, tail.map((x) => x / norm(tail)), 1e-4, "the last 10 tokens");
    const fitting = await fetch(`${server.baseUrl}/v1/embeddings`, {
      method: "POST", headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "embed", input: long, truncate_prompt_tokens: -1 }),
    });
    assert.equal(((await fitting.json()) as { usage: { prompt_tokens: number } }).usage.prompt_tokens, CONTEXT - 1);
  });

  test("a chat request to an embedding model, and an embeddings request to a chat model, are 400s on model", async () => {
    await assert.rejects(client.chat.completions.create({ model: "embed", max_tokens: 2, messages: [{ role: "user", content: "Hi" }] }), (error: unknown) =>
      error instanceof OpenAI.BadRequestError && error.param === "model" && /embedding model/.test(error.message));
    await assert.rejects(client.embeddings.create({ model: "qwen3-0.6b", input: "x" }), (error: unknown) =>
      error instanceof OpenAI.BadRequestError && error.param === "model" && /embeddings/.test(error.message));
    await assert.rejects(client.embeddings.create({ model: "no-such-model", input: "x" }), (error: unknown) => error instanceof OpenAI.NotFoundError);
  });

  test("a chat model with embeddings: true serves both", async () => {
    const embedded = await client.embeddings.create({ model: "chat-embed", input: TEXTS[0]!, encoding_format: "float" });
    assert.equal(embedded.data[0]!.embedding.length, model.embeddingVectorSize);
    assert.ok(Math.abs(norm(embedded.data[0]!.embedding) - 1) < 1e-6);
    const chat = await client.chat.completions.create({ model: "chat-embed", max_tokens: 2, messages: [{ role: "user", content: "Hi" }] });
    assert.equal(chat.choices.length, 1);
  });

  test("Gemini's SDK embeds through embedContent and batchEmbedContents: the same vectors, in order, truncated by outputDimensionality", async () => {
    const ai = new GoogleGenAI({ apiKey: "unused", httpOptions: { baseUrl: server.baseUrl } });
    const one = await ai.models.embedContent({ model: "embed", contents: TEXTS[0]! });
    assert.equal(one.embeddings?.length, 1);
    const own = (await reference.getEmbeddingFor(TEXTS[0]!)).vector;
    assertClose(one.embeddings![0]!.values!, own.map((x) => x / norm(own)), 1e-4, "embedContent against node-llama-cpp");
    const batch = await ai.models.embedContent({ model: "embed", contents: TEXTS });
    assert.equal(batch.embeddings?.length, TEXTS.length);
    for (const [i, text] of TEXTS.entries()) {
      const alone = (await reference.getEmbeddingFor(text)).vector;
      assertClose(batch.embeddings![i]!.values!, alone.map((x) => x / norm(alone)), 1e-4, `batch item ${i}`);
    }
    const short = await ai.models.embedContent({ model: "embed", contents: TEXTS[0]!, config: { outputDimensionality: 8 } });
    const first8 = own.slice(0, 8);
    assertClose(short.embeddings![0]!.values!, first8.map((x) => x / norm(first8)), 1e-4, "outputDimensionality 8, re-normalised");
    await assert.rejects(ai.models.embedContent({ model: "chat-embed-missing", contents: "x" }), (error: unknown) => error instanceof ApiError && error.status === 404);
  });

  test("/v1/models lists the embedding models with their kind", async () => {
    const { data } = (await (await fetch(`${server.baseUrl}/v1/models`)).json()) as { data: Array<{ id: string; kind?: string }> };
    const kinds = Object.fromEntries(data.map((m) => [m.id, m.kind]));
    assert.equal(kinds.embed, "embedding");
    assert.equal(kinds["embed-plain"], "embedding");
    assert.equal(kinds["chat-embed"], undefined);
  });
});
