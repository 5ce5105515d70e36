// POST /v1/rerank against a real server with a chat model, an embedding model and the reranker fixture; the scores are
// checked against node-llama-cpp's own ranking context on the same file, in this process.
import { getLlama, LlamaLogLevel, type LlamaModel, type LlamaRankingContext } from "node-llama-cpp";
import OpenAI from "openai";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { MAX_RERANK_DOCUMENTS } from "../../src/protocols/openai/rerank/schema.js";
import { eventually, fixtureModel, startServer, type RunningServer } from "./harness.js";

/** The reranker's context: a query and document pair longer than this (less one) is refused. */
const CONTEXT = 256;
const QUERY = "where does the cat sleep";
const DOCUMENTS = ["the cat sleeps on the mat", "stock prices fell sharply today", "a recipe for lemon cake", "where does the cat sleep", "cats sleep sixteen hours a day"];

interface RerankBody {
  id: string;
  model: string;
  results: Array<{ index: number; relevance_score: number; document?: { text: string } }>;
  usage: { prompt_tokens: number; total_tokens: number };
}
interface ErrorBody {
  error: { message: string; param: string | null; type: string };
}

describe("rerank", () => {
  let server: RunningServer;
  /** The reranker fixture loaded in this process: the reference scores and token counts. */
  let model: LlamaModel;
  let reference: LlamaRankingContext;

  const rerank = async (body: Record<string, unknown>, path = "/v1/rerank"): Promise<{ status: number; body: unknown }> => {
    const response = await fetch(`${server.baseUrl}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    return { status: response.status, body: await response.json() };
  };
  const ok = async (body: Record<string, unknown>, path?: string): Promise<RerankBody> => {
    const { status, body: answer } = await rerank(body, path);
    assert.equal(status, 200, JSON.stringify(answer));
    return answer as RerankBody;
  };
  const refused = async (body: Record<string, unknown>): Promise<ErrorBody["error"]> => {
    const { status, body: answer } = await rerank(body);
    assert.equal(status, 400, JSON.stringify(answer));
    return (answer as ErrorBody).error;
  };

  before(async () => {
    const dir = mkdtempSync(join(tmpdir(), "lals-rerank-"));
    const config = join(dir, "models.json");
    const reranker = await fixtureModel("reranker");
    writeFileSync(config, JSON.stringify({
      models: [
        // Its kind is detected from the GGUF's rank pooling.
        { id: "rerank", path: reranker, contextSize: CONTEXT, aliases: ["bge-reranker-*"] },
        { id: "embed", path: await fixtureModel("embedding"), contextSize: CONTEXT },
      ],
    }));
    server = await startServer({ env: { LALS_CONFIG: config } });
    const llama = await getLlama({ build: "never", logLevel: LlamaLogLevel.error });
    model = await llama.loadModel({ modelPath: reranker });
    reference = await model.createRankingContext({ contextSize: CONTEXT, batchSize: CONTEXT, threads: 1 });
  });
  after(async () => {
    await reference.dispose();
    await model.dispose();
    assert.equal(await server.stop(), 0);
  });

  test("scores are node-llama-cpp's own rankAll, sorted best first with each document's index", async () => {
    const expected = await reference.rankAll(QUERY, DOCUMENTS);
    assert.ok(new Set(expected).size > 1, `the fixture's scores differ: ${expected.join(", ")}`);
    const body = await ok({ model: "rerank", query: QUERY, documents: DOCUMENTS });
    assert.equal(body.model, "rerank");
    assert.match(body.id, /^rerank-/);
    assert.deepEqual(body.results.map((r) => r.index).sort(), [0, 1, 2, 3, 4]);
    for (const result of body.results) {
      assert.ok(Math.abs(result.relevance_score - expected[result.index]!) < 1e-5, `document ${result.index}: ${result.relevance_score} against ${expected[result.index]}`);
      assert.equal(result.document, undefined, "no document unless asked");
    }
    const scores = body.results.map((r) => r.relevance_score);
    assert.deepEqual(scores, [...scores].sort((a, b) => b - a));
    const tokens = DOCUMENTS.reduce((sum, document) => sum + reference.calculateInputLength(QUERY, document), 0);
    assert.deepEqual(body.usage, { prompt_tokens: tokens, total_tokens: tokens });
    await eventually("the request log counts the pairs' tokens", () => server.logs.some((l) =>
      l.msg === "request" && l.endpoint === "POST /v1/rerank" && l.inputTokens === tokens && l.outputTokens === 0));
  });

  test("a second query over documents that start alike scores each as node-llama-cpp does, whatever the sequence held before", async () => {
    // The reranker builds on what its sequence holds: the previous pair's query, or a document sent again.
    const documents = ["the cat sleeps on the mat by the door", "the cat sleeps on the mat", ...DOCUMENTS.slice(1), "the cat sleeps on the mat"];
    for (const query of ["where does the cat sleep at night", QUERY]) {
      const expected = await reference.rankAll(query, documents);
      const body = await ok({ model: "rerank", query, documents });
      for (const result of body.results) {
        assert.ok(Math.abs(result.relevance_score - expected[result.index]!) < 1e-5, `${query}, document ${result.index}: ${result.relevance_score} against ${expected[result.index]}`);
      }
    }
  });

  test("top_n keeps the best; return_documents gives each result its document; {text} objects, /rerank, /v2/rerank and an alias are the same", async () => {
    const expected = await reference.rankAll(QUERY, DOCUMENTS);
    const best = [...expected.keys()].sort((a, b) => expected[b]! - expected[a]!).slice(0, 2);
    const top = await ok({ model: "rerank", query: QUERY, documents: DOCUMENTS, top_n: 2, return_documents: true });
    assert.deepEqual(top.results.map((r) => r.index), best);
    assert.deepEqual(top.results.map((r) => r.document?.text), best.map((i) => DOCUMENTS[i]));
    for (const path of ["/rerank", "/v2/rerank"]) {
      const other = await ok({ model: "bge-reranker-v2-m3", query: QUERY, documents: DOCUMENTS.map((text) => ({ text })), top_n: 2 }, path);
      assert.deepEqual(other.results.map((r) => r.index), best, path);
      assert.deepEqual(other.results.map((r) => r.relevance_score), top.results.map((r) => r.relevance_score), path);
    }
  });

  test("a document longer than the context is a 400 naming it, unless truncate_prompt_tokens asks to keep its last tokens", async () => {
    const long = Array.from({ length: 300 }, (_, i) => `word${i}`).join(" ");
    assert.ok(reference.calculateInputLength(QUERY, long) >= CONTEXT, "the long document is past the context");
    const error = await refused({ model: "rerank", query: QUERY, documents: ["short", long] });
    assert.equal(error.param, "documents[1]");
    const truncated = await ok({ model: "rerank", query: QUERY, documents: [long], truncate_prompt_tokens: 10 });
    const tail = model.tokenize(long, false, "trimLeadingSpace").slice(-10);
    assert.ok(Math.abs(truncated.results[0]!.relevance_score - await reference.rank(QUERY, tail)) < 1e-5, "scored on the last 10 tokens");
    assert.equal(truncated.usage.prompt_tokens, reference.calculateInputLength(QUERY, tail));
    const fitting = await ok({ model: "rerank", query: QUERY, documents: [long], truncate_prompt_tokens: -1 });
    assert.equal(fitting.usage.prompt_tokens, CONTEXT - 1);
  });

  test("bounds are 400s before any work: documents, the query, empty documents", async () => {
    const tooMany = await refused({ model: "rerank", query: QUERY, documents: Array.from({ length: MAX_RERANK_DOCUMENTS + 1 }, () => "x") });
    assert.equal(tooMany.param, "documents");
    assert.equal((await refused({ model: "rerank", query: QUERY, documents: [] })).param, "documents");
    assert.equal((await refused({ model: "rerank", query: QUERY, documents: ["a", { text: "" }] })).param, "documents[1].text");
    assert.equal((await refused({ model: "rerank", query: "", documents: ["a"] })).param, "query");
    const longQuery = Array.from({ length: 300 }, (_, i) => `word${i}`).join(" ");
    assert.equal((await refused({ model: "rerank", query: longQuery, documents: ["a"] })).param, "query");
  });

  test("rerank to a chat or embedding model, and chat or embeddings to the reranker, are 400s on model", async () => {
    for (const other of ["qwen3-0.6b", "embed"]) {
      const error = await refused({ model: other, query: QUERY, documents: DOCUMENTS });
      assert.equal(error.param, "model");
      assert.match(error.message, /does not rerank/);
    }
    const client = new OpenAI({ baseURL: `${server.baseUrl}/v1`, apiKey: "unused", maxRetries: 0 });
    await assert.rejects(client.chat.completions.create({ model: "rerank", max_tokens: 2, messages: [{ role: "user", content: "Hi" }] }), (error: unknown) =>
      error instanceof OpenAI.BadRequestError && error.param === "model" && /reranker/.test(error.message));
    await assert.rejects(client.embeddings.create({ model: "rerank", input: "x" }), (error: unknown) =>
      error instanceof OpenAI.BadRequestError && error.param === "model" && /reranker/.test(error.message));
    const { status } = await rerank({ model: "no-such-model", query: QUERY, documents: DOCUMENTS });
    assert.equal(status, 404);
  });

  test("/v1/models lists the reranker with its kind", async () => {
    const { data } = (await (await fetch(`${server.baseUrl}/v1/models`)).json()) as { data: Array<{ id: string; kind?: string }> };
    const kinds = Object.fromEntries(data.map((m) => [m.id, m.kind]));
    assert.equal(kinds.rerank, "reranker");
    assert.equal(kinds.embed, "embedding");
  });
});
