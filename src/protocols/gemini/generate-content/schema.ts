// The wire request of models/{model}:generateContent and :streamGenerateContent (GenerateContentRequest), which
// :countTokens also carries. Fields come by their JSON or proto names (proto-json.ts); fields LALS does not use are
// accepted and reported as warnings in parsing.
import { z } from "zod";
import { jsonSchemaField, LIMIT_PARAMS, modelField, stopSequences } from "../../bounded-fields.js";
import { LIMITS } from "../../limits.js";
import { openApiSchemaField } from "../openapi-schema.js";
import { protoObject, repeated, upperEnum } from "../proto-json.js";

/** Gemini documents no bound on contents: Anthropic's 100,000 messages serve. */
export const MAX_CONTENTS = LIMITS.messages.anthropic;
/** Gemini's own bounds: 512 function declarations, 5 stop sequences, 8 candidates, 20 top logprobs. */
export const MAX_FUNCTIONS = 512;
export const MAX_STOP_SEQUENCES = 5;
export const MAX_CANDIDATES = LIMITS.choices;
export const MAX_TOP_LOGPROBS = 20;

const functionName = z.string().regex(/^[A-Za-z_][\w.:-]{0,127}$/, { message: "must start with a letter or an underscore and hold at most 128 letters, digits, underscores, dots, colons or dashes" });

const functionCall = protoObject({ id: z.string().nullish(), name: functionName, args: z.record(z.string(), z.unknown()).nullish() });
const functionResponse = protoObject({
  id: z.string().nullish(),
  name: functionName,
  response: z.record(z.string(), z.unknown()).nullish(),
  parts: z.array(z.unknown()).nullish(),
});

export const part = protoObject({
  text: z.string().nullish(),
  thought: z.boolean().nullish(),
  thoughtSignature: z.string().nullish(),
  functionCall: functionCall.nullish(),
  functionResponse: functionResponse.nullish(),
  inlineData: protoObject({ mimeType: z.string(), data: z.string() }).nullish(),
  fileData: protoObject({ mimeType: z.string().nullish(), fileUri: z.string() }).nullish(),
});

export const content = protoObject({
  role: z.enum(["user", "model"], { message: "must be 'user' or 'model'" }).nullish(),
  parts: repeated(part, LIMITS.contentParts, "parts").nullish(),
});

const functionDeclaration = protoObject({
  name: functionName,
  description: z.string().nullish(),
  parameters: openApiSchemaField.nullish(),
  parametersJsonSchema: jsonSchemaField.nullish(),
});

/** A tool: function declarations, or a server-side tool (googleSearch, codeExecution…) that parsing reports as ignored. */
const tool = protoObject({ functionDeclarations: repeated(functionDeclaration, MAX_FUNCTIONS, "function declarations").nullish() });

const tools = repeated(tool, MAX_FUNCTIONS, "tools").superRefine((list, ctx) => {
  const count = list.reduce((sum, t) => sum + (t.functionDeclarations?.length ?? 0), 0);
  if (count > MAX_FUNCTIONS) ctx.addIssue({ code: "custom", message: `at most ${MAX_FUNCTIONS} function declarations on this server`, params: LIMIT_PARAMS });
});

const toolConfig = protoObject({
  functionCallingConfig: protoObject({
    mode: upperEnum(["MODE_UNSPECIFIED", "AUTO", "ANY", "NONE", "VALIDATED"]).nullish(),
    allowedFunctionNames: repeated(z.string(), MAX_FUNCTIONS, "allowed function names").nullish(),
  }).nullish(),
});

const thinkingConfig = protoObject({
  includeThoughts: z.boolean().nullish(),
  thinkingBudget: z.number().int().min(-1).nullish(),
  thinkingLevel: upperEnum(["THINKING_LEVEL_UNSPECIFIED", "MINIMAL", "LOW", "MEDIUM", "HIGH", "XHIGH"]).nullish(),
});

export const GENERATION_CONFIG_FIELDS = {
  temperature: z.number().min(0).max(2).nullish(),
  topP: z.number().min(0).max(1).nullish(),
  topK: z.number().int().min(0).nullish(),
  candidateCount: z.number().int().min(1).max(MAX_CANDIDATES, { message: `at most ${MAX_CANDIDATES} candidates per request on this server` }).nullish(),
  maxOutputTokens: z.number().int().min(1).nullish(),
  stopSequences: stopSequences(MAX_STOP_SEQUENCES).nullish(),
  seed: z.number().int().nullish(),
  presencePenalty: z.number().min(-2).max(2).nullish(),
  frequencyPenalty: z.number().min(-2).max(2).nullish(),
  responseMimeType: z.string().max(256).nullish(),
  responseSchema: openApiSchemaField.nullish(),
  responseJsonSchema: jsonSchemaField.nullish(),
  /** The reference's older name of responseJsonSchema. */
  _responseJsonSchema: jsonSchemaField.nullish(),
  responseLogprobs: z.boolean().nullish(),
  logprobs: z.number().int().min(0).max(MAX_TOP_LOGPROBS).nullish(),
  thinkingConfig: thinkingConfig.nullish(),
};

/** The top-level fields parsing reads; the rest are reported as not applied. */
export const GENERATE_CONTENT_FIELDS = {
  /** countTokens' generateContentRequest names its model (`models/…`); generateContent's model is in the path. */
  model: z.string().min(1).max(LIMITS.modelName + "models/".length).nullish(),
  contents: repeated(content, MAX_CONTENTS, "contents", 1),
  systemInstruction: z.union([z.string(), content]).nullish(),
  tools: tools.nullish(),
  toolConfig: toolConfig.nullish(),
  generationConfig: protoObject(GENERATION_CONFIG_FIELDS).nullish(),
};

export const generateContentRequest = protoObject(GENERATE_CONTENT_FIELDS);

export const modelParams = z.object({ model: modelField });

/** `alt=sse` asks for server-sent events; `key` is the API key, which auth reads. */
export const generateQuery = z.looseObject({ alt: z.string().max(16).optional(), key: z.string().max(1024).optional() });

export type GenerateContentRequestBody = z.infer<typeof generateContentRequest>;
export type ContentBody = z.infer<typeof content>;
export type PartBody = z.infer<typeof part>;
