// Gemini GenerateContentRequest → canonical ChatRequest, and what rendering needs to know of it.
import { emptyChatRequest, type ChatRequest, type ResponseFormat, type ToolDefinition } from "../../../core/chat-request.js";
import { GatewayError } from "../../../core/gateway-error.js";
import { checkMaxTokens, type ParseOptions } from "../../validate.js";
import { parseContents, parseSystem } from "./parse-contents.js";
import { GENERATE_CONTENT_FIELDS, GENERATION_CONFIG_FIELDS, type GenerateContentRequestBody } from "./schema.js";

export interface GeminiGeneration {
  request: ChatRequest;
  /** Gemini's rule: the model may think either way, and its thoughts are returned only when asked for. */
  includeThoughts: boolean;
  /** generationConfig.candidateCount: as many generations side by side. */
  candidates: number;
}

type GenerationConfigBody = NonNullable<GenerateContentRequestBody["generationConfig"]>;

const invalid = (param: string, message: string): GatewayError => new GatewayError("invalid_request", `${param}: ${message}`, { param });

/** Top-level fields LALS accepts and does not apply, with why. */
const IGNORED: Readonly<Record<string, string>> = {
  safetySettings: "safetySettings are accepted and not applied: this server runs no safety filters.",
  cachedContent: "cachedContent is not available on this server: the cached content is not part of the prompt (prefixes are reused from slots and the prompt cache instead).",
  labels: "labels are accepted and not recorded by this server.",
};

/** thinkingLevel → canonical thinking: `minimal` is Gemini's "no thinking for most queries"; the others think, within a budget. */
const LEVELS: Readonly<Record<string, ChatRequest["thinking"]>> = {
  MINIMAL: { enabled: false },
  LOW: { enabled: true, budgetTokens: 1024 },
  MEDIUM: { enabled: true, budgetTokens: 4096 },
  HIGH: { enabled: true },
  XHIGH: { enabled: true },
};

/** A warning for each field of `object` that is neither in `known` nor already reported. */
function unknownFields(object: object, known: object, prefix: string, warnings: string[], reported: object = {}): void {
  for (const key of Object.keys(object)) {
    if (!Object.hasOwn(known, key) && !Object.hasOwn(reported, key)) warnings.push(`${prefix}${key} is not applied by this server.`);
  }
}

function parseThinking(config: NonNullable<GenerationConfigBody["thinkingConfig"]>): ChatRequest["thinking"] {
  const { thinkingBudget: budget, thinkingLevel: level } = config;
  if (budget != null && level != null) {
    throw invalid("generationConfig.thinkingConfig", "thinkingBudget and thinkingLevel cannot be used together.");
  }
  if (level != null) return LEVELS[level];
  // -1 (or none): the model decides, here the server's default; 0: no thinking; otherwise thinking, within that budget.
  // includeThoughts only says whether thoughts are shown, as on Gemini.
  if (budget === 0) return { enabled: false };
  if (budget == null || budget === -1) return undefined;
  return { enabled: true, budgetTokens: budget };
}

function parseFormat(config: GenerationConfigBody): ResponseFormat {
  const mime = config.responseMimeType ?? undefined;
  const jsonSchema = config.responseJsonSchema ?? config._responseJsonSchema ?? undefined;
  if (config.responseSchema != null && jsonSchema !== undefined) {
    throw invalid("generationConfig.responseJsonSchema", "responseSchema and responseJsonSchema cannot be used together.");
  }
  if (mime === "text/x.enum") {
    throw invalid("generationConfig.responseMimeType", "'text/x.enum' output is not supported by this server; ask for application/json with an enum schema.");
  }
  if (mime !== undefined && mime !== "text/plain" && mime !== "application/json") {
    throw invalid("generationConfig.responseMimeType", `'${mime}' is not supported; use text/plain or application/json.`);
  }
  const schema = config.responseSchema ?? jsonSchema;
  if (schema != null) return { type: "json_schema", name: "response", schema };
  return mime === "application/json" ? { type: "json" } : { type: "text" };
}

function parseGenerationConfig(config: GenerationConfigBody, request: ChatRequest, options: ParseOptions): { includeThoughts: boolean; candidates: number } {
  const maxTokens = checkMaxTokens(config.maxOutputTokens ?? undefined, options, "generationConfig.maxOutputTokens");
  request.sampling = {
    stop: (config.stopSequences ?? []).filter((s) => s !== ""),
    ...(maxTokens === undefined ? {} : { maxTokens }),
    ...(config.temperature == null ? {} : { temperature: config.temperature }),
    ...(config.topP == null ? {} : { topP: config.topP }),
    ...(config.topK == null ? {} : { topK: config.topK }),
    ...(config.seed == null ? {} : { seed: config.seed }),
    ...(config.presencePenalty == null ? {} : { presencePenalty: config.presencePenalty }),
    ...(config.frequencyPenalty == null ? {} : { frequencyPenalty: config.frequencyPenalty }),
  };
  if (config.logprobs != null && config.responseLogprobs !== true) {
    throw invalid("generationConfig.logprobs", "logprobs needs responseLogprobs set to true.");
  }
  if (config.responseLogprobs === true) request.sampling.logprobs = { top: config.logprobs ?? 0 };
  request.responseFormat = parseFormat(config);
  if (config.thinkingConfig != null) {
    const thinking = parseThinking(config.thinkingConfig);
    if (thinking !== undefined) request.thinking = thinking;
  }
  unknownFields(config, GENERATION_CONFIG_FIELDS, "generationConfig.", request.warnings);
  return { includeThoughts: config.thinkingConfig?.includeThoughts === true, candidates: config.candidateCount ?? 1 };
}

function parseTools(body: GenerateContentRequestBody, request: ChatRequest): void {
  const declared: ToolDefinition[] = [];
  (body.tools ?? []).forEach((tool, i) => {
    for (const key of Object.keys(tool)) {
      if (key !== "functionDeclarations") request.warnings.push(`tools[${i}].${key}: server-side tools are not available on this server; ignored.`);
    }
    (tool.functionDeclarations ?? []).forEach((f, j) => {
      const param = `tools[${i}].functionDeclarations[${j}]`;
      if (f.parameters != null && f.parametersJsonSchema != null) throw invalid(`${param}.parametersJsonSchema`, "parameters and parametersJsonSchema cannot be used together.");
      if (declared.some((d) => d.name === f.name)) throw invalid(`${param}.name`, `'${f.name}' is declared twice.`);
      declared.push({
        name: f.name,
        ...(f.description == null ? {} : { description: f.description }),
        parameters: f.parameters ?? f.parametersJsonSchema ?? { type: "object", properties: {} },
      });
    });
  });
  request.tools = declared;

  const config = body.toolConfig?.functionCallingConfig;
  if (body.toolConfig != null) {
    for (const key of Object.keys(body.toolConfig)) if (key !== "functionCallingConfig") request.warnings.push(`toolConfig.${key} is not applied by this server.`);
  }
  const mode = config?.mode ?? "AUTO";
  const allowed = config?.allowedFunctionNames ?? undefined;
  allowed?.forEach((name, k) => {
    if (!declared.some((d) => d.name === name)) throw invalid(`toolConfig.functionCallingConfig.allowedFunctionNames[${k}]`, `no function '${name}' is declared.`);
  });
  const limited = allowed === undefined ? declared : declared.filter((d) => allowed.includes(d.name));
  switch (mode) {
    case "NONE":
      request.toolChoice = { type: "none" };
      break;
    case "ANY":
      if (declared.length === 0) throw invalid("toolConfig.functionCallingConfig.mode", "ANY forces a function call, but no functions are declared.");
      if (allowed?.length === 1) request.toolChoice = { type: "tool", name: allowed[0]! };
      else {
        request.toolChoice = { type: "required" };
        request.tools = limited;
      }
      break;
    case "VALIDATED":
      request.tools = limited;
      break;
    default:
      if (allowed !== undefined) request.warnings.push("toolConfig.functionCallingConfig.allowedFunctionNames applies only with mode ANY or VALIDATED; ignored.");
  }
}

/** The canonical request for `model` (the path's), and how to render its answer. */
export function parseGenerateContentRequest(body: GenerateContentRequestBody, model: string, options: ParseOptions): GeminiGeneration {
  const request = emptyChatRequest(model);
  request.system = parseSystem(body.systemInstruction);
  request.messages = parseContents(body.contents, request.warnings);
  parseTools(body, request);
  const { includeThoughts, candidates } = body.generationConfig == null
    ? { includeThoughts: false, candidates: 1 }
    : parseGenerationConfig(body.generationConfig, request, options);
  for (const [field, warning] of Object.entries(IGNORED)) if ((body as Record<string, unknown>)[field] != null) request.warnings.push(warning);
  unknownFields(body, GENERATE_CONTENT_FIELDS, "", request.warnings, IGNORED);
  return { request, includeThoughts, candidates };
}
