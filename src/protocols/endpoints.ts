// The one list of endpoints: the server registers every record in it, /v1/inference detects among them, and the
// bounds test walks it.
import { completeEndpoint } from "./anthropic/complete/endpoint.js";
import { countTokensEndpoint } from "./anthropic/count-tokens/endpoint.js";
import { messagesEndpoint } from "./anthropic/messages/endpoint.js";
import type { Endpoint } from "./endpoint.js";
import type { EnabledProtocols } from "./errors.js";
import { modelEndpoint, modelListEndpoint } from "./models/endpoints.js";
import { chatCompletionsEndpoint } from "./openai/chat-completions/endpoint.js";
import { completionsEndpoint } from "./openai/completions/endpoint.js";
import { responsesEndpoints, type ResponsesState } from "./openai/responses/endpoints.js";

/** What the endpoints keep between requests (only the Responses API keeps anything). */
export interface EndpointState {
  responses: ResponsesState;
}

/** Every endpoint of the enabled protocols. */
export function endpointList(state: EndpointState, enabled: EnabledProtocols): Endpoint[] {
  return [
    ...(enabled.openai ? [chatCompletionsEndpoint, completionsEndpoint, ...responsesEndpoints(state.responses)] : []),
    ...(enabled.anthropic ? [messagesEndpoint, countTokensEndpoint, completeEndpoint] : []),
    ...(enabled.openai || enabled.anthropic ? [modelListEndpoint, modelEndpoint] : []),
  ];
}
