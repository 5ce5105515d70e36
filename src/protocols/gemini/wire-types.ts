// The Gemini API's wire shapes, typed against the official SDK's own types (@google/genai), so that a field name
// drifting from what its clients read fails to compile. The SDK's enums are taken as their string values; where the SDK
// renames a wire field (Model's supportedGenerationMethods → supportedActions), the wire name is declared here.
import type * as genai from "@google/genai";

export type FinishReason = `${genai.FinishReason}`;
export type FunctionCallingMode = `${genai.FunctionCallingConfigMode}`;

export type GeminiPart = Pick<genai.Part, "text" | "thought" | "thoughtSignature" | "functionCall" | "functionResponse" | "inlineData" | "fileData">;

export interface GeminiContent extends Pick<genai.Content, "role"> {
  parts: GeminiPart[];
}

export interface GeminiCandidate extends Pick<genai.Candidate, "index" | "avgLogprobs" | "logprobsResult"> {
  content: GeminiContent;
  finishReason?: FinishReason;
}

export type UsageMetadata = Pick<genai.GenerateContentResponseUsageMetadata,
  "promptTokenCount" | "candidatesTokenCount" | "totalTokenCount" | "thoughtsTokenCount" | "cachedContentTokenCount">;

/** GenerateContentResponse: the whole answer, or one chunk of a stream. */
export interface GeminiResponse extends Pick<genai.GenerateContentResponse, "modelVersion" | "responseId"> {
  candidates: GeminiCandidate[];
  usageMetadata?: UsageMetadata;
}

export interface GeminiModel extends Pick<genai.Model, "name" | "version" | "displayName" | "description" | "inputTokenLimit" | "outputTokenLimit" | "thinking"> {
  baseModelId: string;
  supportedGenerationMethods: string[];
}

export type ContentEmbedding = Pick<genai.ContentEmbedding, "values">;

/** The request LALS sends as a client (build-request.ts). */
export interface GenerateContentBody {
  contents: GeminiContent[];
  systemInstruction?: GeminiContent;
  tools?: Array<{ functionDeclarations: Array<Pick<genai.FunctionDeclaration, "name" | "description" | "parametersJsonSchema">> }>;
  toolConfig?: { functionCallingConfig: Omit<genai.FunctionCallingConfig, "mode"> & { mode: FunctionCallingMode } };
  generationConfig?: Pick<genai.GenerationConfig, "maxOutputTokens" | "temperature" | "topP" | "topK" | "seed" | "stopSequences"
    | "presencePenalty" | "frequencyPenalty" | "responseLogprobs" | "logprobs" | "responseMimeType" | "responseJsonSchema"> & {
    thinkingConfig?: Pick<genai.ThinkingConfig, "includeThoughts" | "thinkingBudget">;
  };
}
