import assert from "node:assert/strict";
import { test } from "node:test";
import { GatewayError } from "../../../core/gateway-error.js";
import { validate } from "../../validate.js";
import { parseGenerateContentRequest } from "./parse-request.js";
import { generateContentRequest } from "./schema.js";

const hi = { role: "user", parts: [{ text: "hi" }] };
const parse = (body: Record<string, unknown>, maxTokensLimit = 1000) =>
  parseGenerateContentRequest(validate(generateContentRequest, { contents: [hi], ...body }), "gemini-2.5-flash", { maxTokensLimit });
const isInvalid = (param: string) => (e: unknown) => e instanceof GatewayError && e.kind === "invalid_request" && e.param === param;
const weather = { name: "get_weather", description: "Weather of a city", parameters: { type: "OBJECT", properties: { city: { type: "STRING" } }, required: ["city"] } };

test("contents become turns in order: an absent role is user, model is assistant; the path names the model", () => {
  const { request } = parse({ contents: [{ parts: [{ text: "a" }] }, { role: "model", parts: [{ text: "b" }] }, { role: "user", parts: [{ text: "c" }, { text: "d" }] }] });
  assert.equal(request.model, "gemini-2.5-flash");
  assert.deepEqual(request.messages, [
    { role: "user", content: [{ type: "text", text: "a" }] },
    { role: "assistant", content: [{ type: "text", text: "b" }] },
    { role: "user", content: [{ type: "text", text: "c" }, { type: "text", text: "d" }] },
  ]);
});

test("systemInstruction is a Content or a string; fields come by JSON or proto names, and one part may stand for the list", () => {
  assert.deepEqual(parse({ systemInstruction: { parts: [{ text: "Be brief." }, { text: "Be kind." }] } }).request.system, [{ type: "text", text: "Be brief." }, { type: "text", text: "Be kind." }]);
  assert.deepEqual(parse({ systemInstruction: "Be brief." }).request.system, [{ type: "text", text: "Be brief." }]);
  // The API reference's own curl example.
  const body = validate(generateContentRequest, {
    system_instruction: { parts: { text: "You are a cat. Your name is Neko." } },
    contents: { parts: { text: "Hello there" } },
    generation_config: { max_output_tokens: 20, stop_sequences: ["Title"] },
  });
  const { request } = parseGenerateContentRequest(body, "m", { maxTokensLimit: 1000 });
  assert.deepEqual(request.system, [{ type: "text", text: "You are a cat. Your name is Neko." }]);
  assert.deepEqual(request.messages, [{ role: "user", content: [{ type: "text", text: "Hello there" }] }]);
  assert.deepEqual(request.sampling, { stop: ["Title"], maxTokens: 20 });
  assert.deepEqual(request.warnings, []);
});

test("images inline or by URI are image parts; other media are refused naming the part", () => {
  const { request } = parse({ contents: [{ role: "user", parts: [
    { text: "what is it?" },
    { inlineData: { mimeType: "image/jpeg", data: "AAAA" } },
    { file_data: { mime_type: "image/png", file_uri: "https://example.com/x.png" } },
  ] }] });
  assert.deepEqual(request.messages[0]!.content.slice(1), [
    { type: "image", mediaType: "image/jpeg", data: "AAAA" },
    { type: "image", url: "https://example.com/x.png", mediaType: "image/png" },
  ]);
  assert.throws(() => parse({ contents: [{ parts: [{ inlineData: { mimeType: "audio/mp3", data: "AAAA" } }] }] }), isInvalid("contents[0].parts[0].inlineData.mimeType"));
  assert.throws(() => parse({ contents: [{ parts: [{ fileData: { mimeType: "application/pdf", fileUri: "gs://x" } }] }] }), isInvalid("contents[0].parts[0].fileData.mimeType"));
  assert.throws(() => parse({ contents: [{ parts: [{ text: "a", inlineData: { mimeType: "image/png", data: "A" } }] }] }), isInvalid("contents[0].parts[0]"));
});

test("thought parts of earlier model turns are thinking parts with their signature; empty parts and empty turns drop", () => {
  const { request } = parse({ contents: [
    hi,
    { role: "model", parts: [{ text: "let me think", thought: true, thoughtSignature: "c2ln" }, { text: "" }, { text: "Hello" }] },
    { role: "model", parts: [] },
    { role: "user", parts: [{ text: "more" }] },
  ] });
  assert.deepEqual(request.messages.map((m) => m.role), ["user", "assistant", "user"]);
  assert.deepEqual(request.messages[1]!.content, [{ type: "thinking", text: "let me think", signature: "c2ln" }, { type: "text", text: "Hello" }]);
  assert.throws(() => parse({ contents: [{ parts: [{ text: "" }] }] }), isInvalid("contents"));
});

test("function calls without an id get ids from their place, and responses find their call by name in the turn before", () => {
  const { request } = parse({ contents: [
    hi,
    { role: "model", parts: [{ functionCall: { name: "get_weather", args: { city: "Paris" } } }, { functionCall: { name: "get_weather", args: { city: "Rome" } } }] },
    { role: "user", parts: [
      { functionResponse: { name: "get_weather", response: { output: "sunny" } } },
      { functionResponse: { name: "get_weather", response: { temperature: 20 } } },
    ] },
  ] });
  assert.deepEqual(request.messages[1]!.content, [
    { type: "tool_call", id: "gemini_call_1_0", name: "get_weather", arguments: { city: "Paris" } },
    { type: "tool_call", id: "gemini_call_1_1", name: "get_weather", arguments: { city: "Rome" } },
  ]);
  assert.deepEqual(request.messages[2]!.content, [
    { type: "tool_result", toolCallId: "gemini_call_1_0", content: [{ type: "text", text: "sunny" }] },
    { type: "tool_result", toolCallId: "gemini_call_1_1", content: [{ type: "text", text: "{\"temperature\":20}" }] },
  ]);
  // The same history gets the same ids on the next request, so its prompt is the same.
  assert.deepEqual(parse({ contents: [hi, { role: "model", parts: [{ functionCall: { name: "f" } }] }] }).request.messages[1]!.content, [{ type: "tool_call", id: "gemini_call_1_0", name: "f", arguments: {} }]);
});

test("a response with an id answers the call of that id, in whatever order; an error response is an error result", () => {
  const { request } = parse({ contents: [
    hi,
    { role: "model", parts: [{ functionCall: { id: "a1", name: "f", args: {} } }, { functionCall: { id: "b2", name: "g", args: {} } }] },
    { role: "user", parts: [{ functionResponse: { id: "b2", name: "g", response: { error: "boom" } } }, { functionResponse: { id: "a1", name: "f", response: { output: { ok: true } } } }] },
  ] });
  assert.deepEqual(request.messages[2]!.content, [
    { type: "tool_result", toolCallId: "b2", content: [{ type: "text", text: "boom" }], isError: true },
    { type: "tool_result", toolCallId: "a1", content: [{ type: "text", text: "{\"ok\":true}" }] },
  ]);
});

test("a function response naming no call left to answer is refused; calls and responses must sit in their own roles", () => {
  const call = { role: "model", parts: [{ functionCall: { name: "f" } }] };
  assert.throws(() => parse({ contents: [hi, call, { parts: [{ functionResponse: { name: "g", response: {} } }] }] }), isInvalid("contents[2].parts[0].functionResponse"));
  assert.throws(() => parse({ contents: [hi, call, { parts: [{ functionResponse: { name: "f", response: {} } }, { functionResponse: { name: "f", response: {} } }] }] }), isInvalid("contents[2].parts[1].functionResponse"));
  // Responses by name look only at the latest model turn.
  assert.throws(() => parse({ contents: [hi, call, { parts: [{ text: "x" }] }, { role: "model", parts: [{ text: "y" }] }, { parts: [{ functionResponse: { name: "f", response: {} } }] }] }), isInvalid("contents[4].parts[0].functionResponse"));
  assert.throws(() => parse({ contents: [{ parts: [{ functionCall: { name: "f" } }] }] }), isInvalid("contents[0].parts[0].functionCall"));
  assert.throws(() => parse({ contents: [hi, { role: "model", parts: [{ functionResponse: { name: "f", response: {} } }] }] }), isInvalid("contents[1].parts[0].functionResponse"));
  assert.throws(() => parse({ contents: [hi, call, { parts: [{ functionResponse: { name: "f", response: {}, parts: [{ inlineData: {} }] } }] }] }), isInvalid("contents[2].parts[0].functionResponse.parts"));
});

test("function declarations become tools, parameters converted from Gemini's schema or taken as JSON Schema", () => {
  const { request } = parse({ tools: [{ functionDeclarations: [weather, { name: "now", parametersJsonSchema: { type: "object", properties: { tz: { type: "string" } } } }, { name: "ping" }] }] });
  assert.deepEqual(request.tools, [
    { name: "get_weather", description: "Weather of a city", parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } },
    { name: "now", parameters: { type: "object", properties: { tz: { type: "string" } } } },
    { name: "ping", parameters: { type: "object", properties: {} } },
  ]);
  assert.deepEqual(request.toolChoice, { type: "auto" });
  assert.throws(() => parse({ tools: [{ functionDeclarations: [{ ...weather, parametersJsonSchema: { type: "object" } }] }] }), isInvalid("tools[0].functionDeclarations[0].parametersJsonSchema"));
  assert.throws(() => parse({ tools: [{ functionDeclarations: [weather] }, { functionDeclarations: [weather] }] }), isInvalid("tools[1].functionDeclarations[0].name"));
  assert.throws(() => parse({ tools: [{ functionDeclarations: [{ name: "9lives" }] }] }), isInvalid("tools[0].functionDeclarations[0].name"));
});

test("server-side tools are accepted and reported as ignored", () => {
  const { request } = parse({ tools: [{ googleSearch: {} }, { codeExecution: {}, functionDeclarations: [weather] }] });
  assert.deepEqual(request.tools.map((t) => t.name), ["get_weather"]);
  assert.deepEqual(request.warnings, [
    "tools[0].googleSearch: server-side tools are not available on this server; ignored.",
    "tools[1].codeExecution: server-side tools are not available on this server; ignored.",
  ]);
});

test("functionCallingConfig: NONE, ANY, ANY with one or several allowed names, VALIDATED", () => {
  const tools = [{ functionDeclarations: [weather, { name: "a" }, { name: "b" }] }];
  const choice = (config: Record<string, unknown>) => {
    const { request } = parse({ tools, toolConfig: { functionCallingConfig: config } });
    return { choice: request.toolChoice, tools: request.tools.map((t) => t.name) };
  };
  assert.deepEqual(choice({ mode: "NONE" }), { choice: { type: "none" }, tools: ["get_weather", "a", "b"] });
  assert.deepEqual(choice({ mode: "ANY" }), { choice: { type: "required" }, tools: ["get_weather", "a", "b"] });
  assert.deepEqual(choice({ mode: "any", allowedFunctionNames: ["a"] }), { choice: { type: "tool", name: "a" }, tools: ["get_weather", "a", "b"] });
  assert.deepEqual(choice({ mode: "ANY", allowedFunctionNames: ["b", "a"] }), { choice: { type: "required" }, tools: ["a", "b"] });
  assert.deepEqual(choice({ mode: "VALIDATED", allowedFunctionNames: ["b"] }), { choice: { type: "auto" }, tools: ["b"] });
  assert.deepEqual(choice({ mode: "AUTO" }), { choice: { type: "auto" }, tools: ["get_weather", "a", "b"] });
  assert.throws(() => choice({ mode: "ANY", allowedFunctionNames: ["zzz"] }), isInvalid("toolConfig.functionCallingConfig.allowedFunctionNames[0]"));
  assert.throws(() => parse({ toolConfig: { functionCallingConfig: { mode: "ANY" } } }), isInvalid("toolConfig.functionCallingConfig.mode"));
  assert.throws(() => parse({ toolConfig: { functionCallingConfig: { mode: "SOMETIMES" } } }), isInvalid("toolConfig.functionCallingConfig.mode"));
});

test("generationConfig's sampling fields map to canonical sampling; maxOutputTokens is held to the limit", () => {
  const { request, candidates } = parse({ generationConfig: {
    temperature: 0.5, topP: 0.9, topK: 40, maxOutputTokens: 64, stopSequences: ["END", ""], seed: 7, presencePenalty: 0.1, frequencyPenalty: -0.2, candidateCount: 3,
  } });
  assert.deepEqual(request.sampling, { stop: ["END"], maxTokens: 64, temperature: 0.5, topP: 0.9, topK: 40, seed: 7, presencePenalty: 0.1, frequencyPenalty: -0.2 });
  assert.equal(candidates, 3);
  assert.equal(parse({ generationConfig: { maxOutputTokens: 5000 } }).request.sampling.maxTokens, 1000);
  const body = validate(generateContentRequest, { contents: [hi], generationConfig: { maxOutputTokens: 5000 } });
  assert.throws(() => parseGenerateContentRequest(body, "m", { maxTokensLimit: 1000, refuseAboveLimit: true }), isInvalid("generationConfig.maxOutputTokens"));
  assert.throws(() => parse({ generationConfig: { stopSequences: ["1", "2", "3", "4", "5", "6"] } }), { param: "generationConfig.stopSequences", reason: "input_limit" });
  assert.throws(() => parse({ generationConfig: { candidateCount: 9 } }), { param: "generationConfig.candidateCount" });
  assert.throws(() => parse({ generationConfig: { temperature: 2.5 } }), { param: "generationConfig.temperature" });
});

test("responseLogprobs asks for log-probabilities with `logprobs` alternatives", () => {
  assert.deepEqual(parse({ generationConfig: { responseLogprobs: true, logprobs: 3 } }).request.sampling.logprobs, { top: 3 });
  assert.deepEqual(parse({ generationConfig: { responseLogprobs: true } }).request.sampling.logprobs, { top: 0 });
  assert.throws(() => parse({ generationConfig: { logprobs: 3 } }), isInvalid("generationConfig.logprobs"));
});

test("responseMimeType and the schemas set the response format", () => {
  const format = (config: Record<string, unknown>) => parse({ generationConfig: config }).request.responseFormat;
  assert.deepEqual(format({}), { type: "text" });
  assert.deepEqual(format({ responseMimeType: "text/plain" }), { type: "text" });
  assert.deepEqual(format({ responseMimeType: "application/json" }), { type: "json" });
  assert.deepEqual(format({ responseMimeType: "application/json", responseSchema: { type: "ARRAY", items: { type: "STRING", nullable: true } } }), {
    type: "json_schema", name: "response", schema: { type: "array", items: { type: ["string", "null"] } },
  });
  const jsonSchema = { type: "object", properties: { n: { type: "integer" } }, additionalProperties: false };
  assert.deepEqual(format({ responseMimeType: "application/json", responseJsonSchema: jsonSchema }), { type: "json_schema", name: "response", schema: jsonSchema });
  assert.deepEqual(format({ responseMimeType: "application/json", _responseJsonSchema: jsonSchema }), { type: "json_schema", name: "response", schema: jsonSchema });
  assert.throws(() => format({ responseSchema: { type: "STRING" }, responseJsonSchema: jsonSchema }), isInvalid("generationConfig.responseJsonSchema"));
  assert.throws(() => format({ responseMimeType: "text/x.enum", responseSchema: { type: "STRING", enum: ["a"] } }), isInvalid("generationConfig.responseMimeType"));
  assert.throws(() => format({ responseMimeType: "image/png" }), isInvalid("generationConfig.responseMimeType"));
});

test("thinkingConfig: a budget of 0 turns thinking off, a positive one thinks within it, -1 or none leaves the server's default, whether thoughts are shown or not; levels too", () => {
  const thinking = (config: Record<string, unknown>) => parse({ generationConfig: { thinkingConfig: config } });
  assert.deepEqual(thinking({ thinkingBudget: 0 }).request.thinking, { enabled: false });
  assert.deepEqual(thinking({ thinkingBudget: 2048 }).request.thinking, { enabled: true, budgetTokens: 2048 });
  assert.equal(thinking({ thinkingBudget: -1 }).request.thinking, undefined);
  assert.equal(thinking({ thinkingBudget: -1, includeThoughts: true }).request.thinking, undefined);
  assert.equal(thinking({ includeThoughts: true }).request.thinking, undefined);
  assert.deepEqual(thinking({ thinkingBudget: 0, includeThoughts: true }).request.thinking, { enabled: false });
  assert.equal(parse({}).request.thinking, undefined);
  assert.deepEqual(thinking({ thinkingLevel: "minimal" }).request.thinking, { enabled: false });
  assert.deepEqual(thinking({ thinkingLevel: "LOW" }).request.thinking, { enabled: true, budgetTokens: 1024 });
  assert.deepEqual(thinking({ thinkingLevel: "high" }).request.thinking, { enabled: true });
  assert.throws(() => thinking({ thinkingBudget: 1024, thinkingLevel: "LOW" }), isInvalid("generationConfig.thinkingConfig"));
  assert.throws(() => thinking({ thinkingBudget: -2 }), { param: "generationConfig.thinkingConfig.thinkingBudget" });
});

test("thoughts are returned only when includeThoughts is true", () => {
  assert.equal(parse({}).includeThoughts, false);
  assert.equal(parse({ generationConfig: { thinkingConfig: { thinkingBudget: 1024 } } }).includeThoughts, false);
  assert.equal(parse({ generationConfig: { thinkingConfig: { includeThoughts: true } } }).includeThoughts, true);
});

test("safetySettings, cachedContent, labels and unknown fields are accepted and reported", () => {
  const { request } = parse({
    safetySettings: [{ category: "HARM_CATEGORY_HARASSMENT", threshold: "BLOCK_NONE" }],
    cachedContent: "cachedContents/abc",
    labels: { team: "x" },
    generationConfig: { responseModalities: ["TEXT"], mediaResolution: "MEDIA_RESOLUTION_LOW" },
    toolConfig: { retrievalConfig: {} },
  });
  assert.deepEqual(request.warnings, [
    "toolConfig.retrievalConfig is not applied by this server.",
    "generationConfig.responseModalities is not applied by this server.",
    "generationConfig.mediaResolution is not applied by this server.",
    "safetySettings are accepted and not applied: this server runs no safety filters.",
    "cachedContent is not available on this server: the cached content is not part of the prompt (prefixes are reused from slots and the prompt cache instead).",
    "labels are accepted and not recorded by this server.",
  ]);
});

test("schema errors name the field", () => {
  assert.throws(() => validate(generateContentRequest, {}), { param: "contents" });
  assert.throws(() => validate(generateContentRequest, { contents: [] }), { param: "contents" });
  assert.throws(() => validate(generateContentRequest, { contents: [{ role: "assistant", parts: [{ text: "x" }] }] }), { param: "contents[0].role" });
  assert.throws(() => validate(generateContentRequest, { contents: [hi], tools: [{ functionDeclarations: Array.from({ length: 513 }, (_, i) => ({ name: `f${i}` })) }] }), { reason: "input_limit" });
  assert.throws(() => validate(generateContentRequest, { contents: [hi], tools: [{ functionDeclarations: [{ name: "f", parameters: { type: "OBJECT", properties: { a: { type: "WORD" } } } }] }] }), { param: "tools[0].functionDeclarations[0].parameters.properties.a.type" });
});
