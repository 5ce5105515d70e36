// Schemas node-llama-cpp's grammar compiler cannot take, through every surface that compiles one (structured output on
// chat completions and Responses, tool parameters on chat completions, Responses and Messages with the tool forced):
// each is a 400 in the protocol's shape naming the field, nothing is logged as an error, and the server goes on.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { startServer, type RunningServer } from "./harness.js";

const MODEL = "qwen3-0.6b";
let server: RunningServer;

before(async () => {
  server = await startServer({ env: { MODEL_PARALLEL: "1", MAX_TOKENS_LIMIT: "64" } });
});
after(async () => {
  assert.equal(server.process.exitCode, null, "the server never died");
  assert.equal(await server.stop(), 0);
});

/** Each shape sits under `properties.x` of an object schema, so tools take it too; `at` is the path below it that is named. */
const REFUSED: Record<string, { shape: object; at: string }> = {
  "minItems 3000": { shape: { type: "array", items: { type: "string" }, minItems: 3000 }, at: "properties.x.minItems" },
  "a NUL in a property name": { shape: { type: "object", properties: { "a\u0000b": { type: "string" } } }, at: "properties.x.properties.a\u0000b" },
  "a NUL in an enum value": { shape: { type: "string", enum: ["ok", "a\u0000b"] }, at: "properties.x.enum[1]" },
  "a $ref loop": { shape: { $ref: "#/$defs/a", $defs: { a: { $ref: "#/$defs/b" }, b: { $ref: "#/$defs/a" } } }, at: "properties.x.$defs.a" },
  "a self-reference with no way out": { shape: { $ref: "#/$defs/a", $defs: { a: { oneOf: [{ $ref: "#/$defs/a" }] } } }, at: "properties.x.$defs.a" },
};
const wrapped = (shape: object) => ({ type: "object", properties: { x: shape }, required: ["x"] });
const user = [{ role: "user", content: "hi" }];

/** A request carrying `schema` at one surface, and the prefix of the field it sits in. */
const SURFACES: Record<string, { path: string; protocol: "openai" | "anthropic"; body: (schema: object) => object; field: string }> = {
  "chat response_format": {
    path: "/v1/chat/completions", protocol: "openai", field: "response_format.json_schema.schema",
    body: (schema) => ({ model: MODEL, messages: user, max_tokens: 8, response_format: { type: "json_schema", json_schema: { name: "out", schema } } }),
  },
  "Responses text.format": {
    path: "/v1/responses", protocol: "openai", field: "text.format.schema",
    body: (schema) => ({ model: MODEL, input: "hi", max_output_tokens: 16, text: { format: { type: "json_schema", name: "out", schema } } }),
  },
  "chat tool parameters": {
    path: "/v1/chat/completions", protocol: "openai", field: "tools[0].function.parameters",
    body: (schema) => ({ model: MODEL, messages: user, max_tokens: 8, tools: [{ type: "function", function: { name: "f", parameters: schema } }], tool_choice: { type: "function", function: { name: "f" } } }),
  },
  "Responses tool parameters": {
    path: "/v1/responses", protocol: "openai", field: "tools[0].parameters",
    body: (schema) => ({ model: MODEL, input: "hi", max_output_tokens: 16, tools: [{ type: "function", name: "f", parameters: schema }], tool_choice: { type: "function", name: "f" } }),
  },
  "Messages tool input_schema": {
    path: "/v1/messages", protocol: "anthropic", field: "tools[0].input_schema",
    body: (schema) => ({ model: MODEL, max_tokens: 8, messages: user, tools: [{ name: "f", input_schema: schema }], tool_choice: { type: "tool", name: "f" } }),
  },
};

async function post(path: string, body: object): Promise<{ status: number; json: Record<string, any> }> {
  const response = await fetch(`${server.baseUrl}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  return { status: response.status, json: await response.json() as Record<string, any> };
}

const errorLines = () => server.logs.filter((line) => typeof line.level === "number" && line.level >= 50);

describe("schemas the grammar compiler refuses", () => {
  for (const [surface, { path, protocol, body, field }] of Object.entries(SURFACES)) {
    for (const [what, { shape, at }] of Object.entries(REFUSED)) {
      test(`${what} through ${surface} is a 400 naming ${field}.${at}`, async () => {
        const { status, json } = await post(path, body(wrapped(shape)));
        assert.equal(status, 400, JSON.stringify(json));
        if (protocol === "openai") {
          assert.equal(json.error.type, "invalid_request_error");
          assert.equal(json.error.param, `${field}.${at}`);
        } else {
          assert.equal(json.type, "error");
          assert.equal(json.error.type, "invalid_request_error");
          assert.ok(String(json.error.message).startsWith(`${field}.${at}`), json.error.message);
        }
      });
    }
  }

  test("nothing was logged as an error, and the server still answers", async () => {
    assert.deepEqual(errorLines(), []);
    const { status, json } = await post("/v1/chat/completions", { model: MODEL, messages: user, max_tokens: 4 });
    assert.equal(status, 200, JSON.stringify(json));
    assert.equal(json.object, "chat.completion");
  });
});

describe("what the bounds let through", () => {
  test("a schema with a megabyte of description is served, and so is the same schema with another", async () => {
    const described = (description: string) => ({ type: "object", description, properties: { ok: { type: "boolean", description } }, required: ["ok"], additionalProperties: false });
    for (const letter of ["a", "b"]) {
      const { status, json } = await post("/v1/chat/completions", {
        model: MODEL, messages: user, max_tokens: 32,
        response_format: { type: "json_schema", json_schema: { name: "out", schema: described(letter.repeat(1024 * 1024)) } },
      });
      assert.equal(status, 200, JSON.stringify(json).slice(0, 500));
      const content = String(json.choices[0].message.content);
      if (json.choices[0].finish_reason === "stop") assert.equal(typeof JSON.parse(content).ok, "boolean");
    }
  });

  test("counts at the bound, a maximum past it, and finite recursion are served through a forced tool", async () => {
    const schema = {
      type: "object",
      properties: {
        list: { type: "array", items: { type: "integer" }, minItems: 0, maxItems: 1000 },
        text: { type: "string", maxLength: 10_000 },
        tree: { $ref: "#/$defs/node" },
      },
      $defs: { node: { type: "object", properties: { children: { type: "array", items: { $ref: "#/$defs/node" } } } } },
    };
    const { status, json } = await post("/v1/messages", { model: MODEL, max_tokens: 16, messages: user, tools: [{ name: "f", input_schema: schema }], tool_choice: { type: "tool", name: "f" } });
    assert.equal(status, 200, JSON.stringify(json));
    assert.equal(json.content.at(-1).type, "tool_use");
    assert.deepEqual(errorLines(), []);
  });
});
