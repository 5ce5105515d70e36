import assert from "node:assert/strict";
import { test } from "node:test";
import Fastify from "fastify";
import { GEMINI_ENDPOINTS } from "./endpoints.js";

/** A server with every Gemini path (and the shared /v1/models ones) answering with the record's name and its params. */
async function router() {
  const app = Fastify();
  for (const endpoint of GEMINI_ENDPOINTS) {
    for (const url of endpoint.paths) app.route({ method: endpoint.method, url, handler: async (request) => ({ name: endpoint.name, params: request.params }) });
  }
  app.get("/v1/models", async () => ({ name: "models" }));
  app.get("/v1/models/:id", async () => ({ name: "model" }));
  await app.ready();
  return app;
}

test("each method of a model routes to its own record under /v1beta and /v1, with the model as the parameter", async () => {
  const app = await router();
  const methods: Array<[string, string]> = [
    ["generateContent", "gemini-generate-content"],
    ["streamGenerateContent", "gemini-stream-generate-content"],
    ["countTokens", "gemini-count-tokens"],
    ["embedContent", "gemini-embed-content"],
    ["batchEmbedContents", "gemini-batch-embed-contents"],
  ];
  for (const version of ["v1beta", "v1"]) {
    for (const [method, name] of methods) {
      const response = await app.inject({ method: "POST", url: `/${version}/models/gemini-2.5-flash:${method}?alt=sse` });
      assert.equal(response.statusCode, 200, `${version} ${method}`);
      assert.deepEqual(response.json(), { name, params: { model: "gemini-2.5-flash" } }, `${version} ${method}`);
    }
  }
  const unknown = await app.inject({ method: "POST", url: "/v1beta/models/m:predict" });
  assert.equal(unknown.statusCode, 404);
});

test("the model list and a model are under /v1beta; /v1's stay the shared records'", async () => {
  const app = await router();
  assert.equal((await app.inject({ url: "/v1beta/models?pageSize=2" })).json<{ name: string }>().name, "gemini-models");
  assert.deepEqual((await app.inject({ url: "/v1beta/models/qwen3-0.6b" })).json(), { name: "gemini-model", params: { model: "qwen3-0.6b" } });
  assert.equal((await app.inject({ url: "/v1/models" })).json<{ name: string }>().name, "models");
  assert.equal((await app.inject({ url: "/v1/models/qwen3-0.6b" })).json<{ name: string }>().name, "model");
});

test("record names are unique and every record is Gemini's", () => {
  assert.equal(new Set(GEMINI_ENDPOINTS.map((e) => e.name)).size, GEMINI_ENDPOINTS.length);
  for (const endpoint of GEMINI_ENDPOINTS) assert.equal(endpoint.protocol, "gemini");
  assert.ok(GEMINI_ENDPOINTS.find((e) => e.name === "gemini-generate-content")?.client !== undefined);
});
