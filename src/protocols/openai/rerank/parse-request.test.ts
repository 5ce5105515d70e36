import assert from "node:assert/strict";
import { test } from "node:test";
import { GatewayError } from "../../../core/gateway-error.js";
import { validate } from "../../validate.js";
import { parseRerankRequest } from "./parse-request.js";
import { MAX_RERANK_DOCUMENTS, MAX_RERANK_PAIR_CHARS, MAX_RERANK_QUERY_CHARS, rerankRequest } from "./schema.js";

const parse = (body: Record<string, unknown>) => parseRerankRequest(validate(rerankRequest, { model: "m", query: "q", ...body }));

function refusal(body: Record<string, unknown>): GatewayError {
  try {
    parse(body);
  } catch (error) {
    assert.ok(error instanceof GatewayError);
    return error;
  }
  assert.fail(`accepted ${JSON.stringify(body).slice(0, 100)}`);
}

test("documents as strings or {text} objects become texts in order; truncate_prompt_tokens is carried", () => {
  const request = parse({ documents: ["a", { text: "b", title: "ignored" }, "c"], truncate_prompt_tokens: 8, top_n: 2, return_documents: true });
  assert.deepEqual(request.documents, ["a", "b", "c"]);
  assert.equal(request.query, "q");
  assert.equal(request.truncateTokens, 8);
  assert.equal(parse({ documents: ["a"] }).truncateTokens, undefined);
});

test("empty or malformed queries and documents are 400s naming the field", () => {
  assert.equal(refusal({ documents: [] }).param, "documents");
  assert.equal(refusal({ documents: ["a", ""] }).param, "documents[1]");
  assert.equal(refusal({ documents: [{ title: "no text" }] }).param, "documents[0]");
  assert.equal(refusal({ documents: [1] }).param, "documents[0]");
  assert.equal(refusal({ query: "", documents: ["a"] }).param, "query");
  assert.equal(refusal({ documents: ["a"], top_n: -1 }).param, "top_n");
  assert.equal(refusal({ documents: ["a"], truncate_prompt_tokens: 0 }).param, "truncate_prompt_tokens");
});

test("more documents, a longer query or more text to read than the bounds are refused as input limits", () => {
  assert.equal(parse({ documents: Array.from({ length: MAX_RERANK_DOCUMENTS }, () => "x") }).documents.length, MAX_RERANK_DOCUMENTS);
  const tooMany = refusal({ documents: Array.from({ length: MAX_RERANK_DOCUMENTS + 1 }, () => "x") });
  assert.equal(tooMany.reason, "input_limit");
  assert.equal(tooMany.param, "documents");
  const longQuery = refusal({ query: "q".repeat(MAX_RERANK_QUERY_CHARS + 1), documents: ["x"] });
  assert.deepEqual([longQuery.param, longQuery.reason], ["query", "input_limit"]);
  // The query is read once per document: 100 documents with a long query pass the pair bound though each is short.
  const query = "q".repeat(MAX_RERANK_QUERY_CHARS);
  const pairs = refusal({ query, documents: Array.from({ length: Math.ceil(MAX_RERANK_PAIR_CHARS / MAX_RERANK_QUERY_CHARS) }, () => "x") });
  assert.deepEqual([pairs.param, pairs.reason], ["documents", "input_limit"]);
});
