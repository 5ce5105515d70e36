// The Gemini API through Google's official SDK (@google/genai) on the finishing fixture, whose known reply and thought
// are the truth: text, system instruction, multi-turn, thinking shown with includeThoughts, a forced function call and
// its functionResponse round trip, JSON under either schema form, countTokens against a generation's own prompt
// count, the model list, and errors in Google's shape.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { ApiError, FunctionCallingConfigMode, GoogleGenAI, ThinkingLevel, Type, type Content } from "@google/genai";
import { FINISHING_REPLY, FINISHING_THOUGHT } from "../../src/fixture/finishing-reply.js";
import { startServer, type RunningServer } from "./harness.js";

const MODEL = "qwen3-0.6b";
let server: RunningServer;
let ai: GoogleGenAI;

before(async () => {
  server = await startServer({ fixture: "finishing", env: { MODEL_PARALLEL: "2", MODEL_N_CTX: "4096" } });
  ai = new GoogleGenAI({ apiKey: "unused", httpOptions: { baseUrl: server.baseUrl } });
});
after(async () => {
  assert.equal(await server.stop(), 0);
});

const weather = {
  name: "get_weather",
  description: "Weather forecast for a city",
  parametersJsonSchema: {
    type: "object",
    properties: { city: { type: "string", enum: ["Paris", "Rome"] }, days: { type: "integer", enum: [1, 2, 3] } },
    required: ["city", "days"],
  },
};

test("generateContent: the model's reply as text, STOP, usage that adds up, the asked model's name echoed", async () => {
  const response = await ai.models.generateContent({
    model: MODEL,
    contents: "What is the capital of France?",
    config: { systemInstruction: "Answer briefly.", temperature: 0, maxOutputTokens: 200 },
  });
  assert.equal(response.text, FINISHING_REPLY);
  const candidate = response.candidates?.[0];
  assert.equal(candidate?.finishReason, "STOP");
  assert.equal(candidate?.content?.role, "model");
  const usage = response.usageMetadata!;
  assert.ok(usage.promptTokenCount! > 5 && usage.candidatesTokenCount! > 0 && usage.candidatesTokenCount! < 20, JSON.stringify(usage));
  assert.equal(usage.totalTokenCount, usage.promptTokenCount! + usage.candidatesTokenCount! + (usage.thoughtsTokenCount ?? 0));
  assert.equal(response.modelVersion, MODEL);
  assert.equal(typeof response.responseId, "string");
});

test("a multi-turn conversation with a model turn is answered, and a longer history is a longer prompt", async () => {
  const one = await ai.models.generateContent({ model: MODEL, contents: "Hi", config: { maxOutputTokens: 100 } });
  const history: Content[] = [
    { role: "user", parts: [{ text: "Hi" }] },
    { role: "model", parts: [{ text: FINISHING_REPLY }] },
    { role: "user", parts: [{ text: "And again?" }] },
  ];
  const three = await ai.models.generateContent({ model: MODEL, contents: history, config: { maxOutputTokens: 100 } });
  assert.equal(three.text, FINISHING_REPLY);
  assert.ok(three.usageMetadata!.promptTokenCount! > one.usageMetadata!.promptTokenCount!);
});

test("generateContentStream: chunks whose text adds up to the reply, the last one with STOP and usage", async () => {
  const stream = await ai.models.generateContentStream({ model: MODEL, contents: "Say hello", config: { maxOutputTokens: 200 } });
  let text = "";
  let chunks = 0;
  let last;
  for await (const chunk of stream) {
    chunks++;
    text += chunk.text ?? "";
    last = chunk;
  }
  assert.equal(text, FINISHING_REPLY);
  assert.ok(chunks > 1, `${chunks} chunks`);
  assert.equal(last?.candidates?.[0]?.finishReason, "STOP");
  assert.ok(last?.usageMetadata?.candidatesTokenCount! > 0);
});

test("thinking with includeThoughts: the thought as a part marked thought, then the reply; thoughtsTokenCount counted", async () => {
  const response = await ai.models.generateContent({
    model: MODEL, contents: "Greet me", config: { thinkingConfig: { includeThoughts: true, thinkingBudget: 1024 }, maxOutputTokens: 300 },
  });
  const parts = response.candidates?.[0]?.content?.parts ?? [];
  assert.deepEqual(parts.map((p) => [p.thought === true, p.text]), [[true, FINISHING_THOUGHT], [false, FINISHING_REPLY]]);
  assert.equal(response.text, FINISHING_REPLY, "the SDK's text leaves thoughts out");
  assert.ok(response.usageMetadata!.thoughtsTokenCount! > 0);

  let thought = "";
  let text = "";
  for await (const chunk of await ai.models.generateContentStream({
    model: MODEL, contents: "Greet me", config: { thinkingConfig: { includeThoughts: true, thinkingLevel: ThinkingLevel.LOW }, maxOutputTokens: 300 },
  })) {
    for (const part of chunk.candidates?.[0]?.content?.parts ?? []) {
      if (part.thought === true) thought += part.text ?? "";
      else text += part.text ?? "";
    }
  }
  assert.equal(thought, FINISHING_THOUGHT);
  assert.equal(text, FINISHING_REPLY);
});

test("thinkingBudget 0 turns thinking off: no thought part even with includeThoughts", async () => {
  const response = await ai.models.generateContent({
    model: MODEL, contents: "Greet me", config: { thinkingConfig: { includeThoughts: true, thinkingBudget: 0 }, maxOutputTokens: 300 },
  });
  const parts = response.candidates?.[0]?.content?.parts ?? [];
  assert.deepEqual(parts.map((p) => [p.thought === true, p.text]), [[false, FINISHING_REPLY]]);
});

test("a forced function call (mode ANY) comes whole with args that fit the schema; its functionResponse is read back", async () => {
  const config = {
    tools: [{ functionDeclarations: [weather] }],
    toolConfig: { functionCallingConfig: { mode: FunctionCallingConfigMode.ANY, allowedFunctionNames: ["get_weather"] } },
    maxOutputTokens: 200,
  };
  const ask: Content = { role: "user", parts: [{ text: "Weather in Paris for 2 days?" }] };
  const response = await ai.models.generateContent({ model: MODEL, contents: [ask], config });
  const calls = response.functionCalls ?? [];
  assert.equal(calls.length, 1);
  const call = calls[0]!;
  assert.equal(call.name, "get_weather");
  const args = call.args as { city: string; days: number };
  assert.ok(["Paris", "Rome"].includes(args.city) && [1, 2, 3].includes(args.days), JSON.stringify(args));
  assert.equal(response.candidates?.[0]?.finishReason, "STOP");

  const streamed = [];
  for await (const chunk of await ai.models.generateContentStream({ model: MODEL, contents: [ask], config })) streamed.push(...(chunk.functionCalls ?? []));
  assert.equal(streamed.length, 1, "a streamed call comes once, whole");
  assert.equal(streamed[0]!.name, "get_weather");
  assert.ok(typeof streamed[0]!.args === "object");

  const answered = await ai.models.generateContent({
    model: MODEL,
    contents: [
      ask,
      { role: "model", parts: [{ functionCall: call }] },
      { role: "user", parts: [{ functionResponse: { ...(call.id === undefined ? {} : { id: call.id }), name: "get_weather", response: { forecast: "sunny, 24 °C" } } }] },
    ],
    config: { tools: config.tools, maxOutputTokens: 200 },
  });
  assert.equal(answered.text, FINISHING_REPLY);
  assert.ok(answered.usageMetadata!.promptTokenCount! > response.usageMetadata!.promptTokenCount!, "the call and its result are in the prompt");
});

test("mode NONE never calls, even with tools offered", async () => {
  const response = await ai.models.generateContent({
    model: MODEL, contents: "Weather in Rome?",
    config: { tools: [{ functionDeclarations: [weather] }], toolConfig: { functionCallingConfig: { mode: FunctionCallingConfigMode.NONE } }, maxOutputTokens: 200 },
  });
  assert.equal(response.functionCalls, undefined);
  assert.equal(response.text, FINISHING_REPLY);
});

test("JSON output: responseJsonSchema and responseSchema in Gemini's upper-case types both give JSON that fits", async () => {
  const jsonSchema = { type: "object", properties: { colour: { type: "string", enum: ["red", "blue"] }, count: { type: "integer", enum: [1, 2] } }, required: ["colour", "count"] };
  const first = await ai.models.generateContent({
    model: MODEL, contents: "A colour and a count, as JSON", config: { responseMimeType: "application/json", responseJsonSchema: jsonSchema, maxOutputTokens: 100 },
  });
  const a = JSON.parse(first.text!) as { colour: string; count: number };
  assert.ok(["red", "blue"].includes(a.colour) && [1, 2].includes(a.count), first.text);

  const second = await ai.models.generateContent({
    model: MODEL, contents: "A colour, as JSON",
    config: {
      responseMimeType: "application/json",
      responseSchema: { type: Type.OBJECT, properties: { colour: { type: Type.STRING, enum: ["green", "grey"] }, bright: { type: Type.BOOLEAN } }, required: ["colour", "bright"] },
      maxOutputTokens: 100,
    },
  });
  const b = JSON.parse(second.text!) as { colour: string; bright: boolean };
  assert.ok(["green", "grey"].includes(b.colour) && typeof b.bright === "boolean", second.text);
});

test("countTokens is exactly the promptTokenCount of a generation from the same contents", async () => {
  const contents: Content[] = [{ role: "user", parts: [{ text: "Count these words, please: one two three." }] }];
  const counted = await ai.models.countTokens({ model: MODEL, contents });
  // The same request: no thinkingConfig in either (a budget of 0 would add the template's empty thought to the prompt).
  const generated = await ai.models.generateContent({ model: MODEL, contents, config: { maxOutputTokens: 50 } });
  assert.equal(counted.totalTokens, generated.usageMetadata!.promptTokenCount);
});

test("models.list and models.get: Gemini's model shape with token limits and methods", async () => {
  const listed = [];
  for await (const model of await ai.models.list()) listed.push(model);
  const ours = listed.find((m) => m.name === `models/${MODEL}`);
  assert.ok(ours !== undefined, JSON.stringify(listed.map((m) => m.name)));
  assert.equal(ours.inputTokenLimit, 4096);
  assert.ok(ours.supportedActions?.includes("generateContent") && ours.supportedActions.includes("countTokens"), JSON.stringify(ours));
  const got = await ai.models.get({ model: MODEL });
  assert.equal(got.name, `models/${MODEL}`);
  assert.equal(got.inputTokenLimit, 4096);
});

test("errors come in Google's shape: an unknown model is NOT_FOUND, a bad field INVALID_ARGUMENT", async () => {
  await assert.rejects(ai.models.generateContent({ model: "no-such-model", contents: "hi" }), (error: unknown) => {
    assert.ok(error instanceof ApiError);
    assert.equal(error.status, 404);
    assert.match(error.message, /NOT_FOUND/);
    return true;
  });
  const raw = await fetch(`${server.baseUrl}/v1beta/models/${MODEL}:generateContent`, {
    method: "POST", headers: { "content-type": "application/json", "x-goog-api-key": "k" }, body: JSON.stringify({ contents: [{ role: "user", parts: [{ text: "hi" }] }], generationConfig: { temperature: "hot" } }),
  });
  assert.equal(raw.status, 400);
  const body = await raw.json() as { error: { code: number; status: string; message: string } };
  assert.equal(body.error.code, 400);
  assert.equal(body.error.status, "INVALID_ARGUMENT");
  assert.match(body.error.message, /temperature/);
});

test("the JSON-array stream (no alt=sse) holds the same chunks, as one JSON array", async () => {
  const response = await fetch(`${server.baseUrl}/v1beta/models/${MODEL}:streamGenerateContent`, {
    method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ contents: [{ parts: [{ text: "hi" }] }] }),
  });
  assert.equal(response.status, 200);
  assert.match(response.headers.get("content-type") ?? "", /application\/json/);
  const chunks = JSON.parse(await response.text()) as Array<{ candidates?: Array<{ content?: { parts?: Array<{ text?: string }> }; finishReason?: string }> }>;
  assert.ok(Array.isArray(chunks) && chunks.length > 1);
  assert.equal(chunks.map((c) => c.candidates?.[0]?.content?.parts?.map((p) => p.text ?? "").join("") ?? "").join(""), FINISHING_REPLY);
  assert.equal(chunks.at(-1)?.candidates?.[0]?.finishReason, "STOP");
});

test("safetySettings, cachedContent and labels are accepted, ignored and counted", async () => {
  const response = await fetch(`${server.baseUrl}/v1beta/models/${MODEL}:generateContent?key=k`, {
    method: "POST", headers: { "content-type": "application/json" },
    body: JSON.stringify({
      contents: [{ role: "user", parts: [{ text: "hi" }] }],
      safetySettings: [{ category: "HARM_CATEGORY_HARASSMENT", threshold: "BLOCK_NONE" }],
      cachedContent: "cachedContents/abc",
      labels: { team: "x" },
    }),
  });
  assert.equal(response.status, 200, await response.clone().text());
  const metrics = await (await fetch(`${server.baseUrl}/metrics`)).text();
  for (const field of ["safetySettings", "cachedContent", "labels"]) assert.match(metrics, new RegExp(`lals_ignored_fields_total\\{[^}]*field="${field}[^"]*"[^}]*\\} [1-9]`), field);
});
