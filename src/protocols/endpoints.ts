// The one list of endpoints: the server registers every record in it, /v1/inference detects among them, and the
// bounds test walks it.
import { completeEndpoint } from "./anthropic/complete/endpoint.js";
import { countTokensEndpoint } from "./anthropic/count-tokens/endpoint.js";
import { messagesEndpoint } from "./anthropic/messages/endpoint.js";
import type { Endpoint } from "./endpoint.js";
import type { EnabledProtocols } from "./errors.js";
import { GEMINI_ENDPOINTS } from "./gemini/endpoints.js";
import { modelEndpoint, modelListEndpoint } from "./models/endpoints.js";
import { OLLAMA_ENDPOINTS } from "./ollama/endpoints.js";
import { chatCompletionsEndpoint } from "./openai/chat-completions/endpoint.js";
import { completionsEndpoint } from "./openai/completions/endpoint.js";
import { detokenizeEndpoint } from "./openai/detokenize/endpoint.js";
import { embeddingsEndpoint } from "./openai/embeddings/endpoint.js";
import { rerankEndpoint } from "./openai/rerank/endpoint.js";
import { RESPONSES_ENDPOINTS } from "./openai/responses/endpoints.js";
import { tokenizeEndpoint } from "./openai/tokenize/endpoint.js";

/** Every endpoint of the enabled protocols. */
export function endpointList(enabled: EnabledProtocols): Endpoint[] {
  return [
    ...(enabled.openai ? [chatCompletionsEndpoint, completionsEndpoint, embeddingsEndpoint, rerankEndpoint, tokenizeEndpoint, detokenizeEndpoint, ...RESPONSES_ENDPOINTS] : []),
    ...(enabled.anthropic ? [messagesEndpoint, countTokensEndpoint, completeEndpoint] : []),
    ...(enabled.openai || enabled.anthropic || enabled.gemini ? [modelListEndpoint, modelEndpoint] : []),
    ...(enabled.gemini ? GEMINI_ENDPOINTS : []),
    ...(enabled.ollama ? OLLAMA_ENDPOINTS : []),
  ];
}
