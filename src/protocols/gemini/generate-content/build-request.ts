// Canonical ChatRequest → a Gemini GenerateContentRequest (the client side of this wire, for upstream engines).
import { joinText, type ChatMessage, type ChatRequest, type ContentPart } from "../../../core/chat-request.js";
import { GatewayError } from "../../../core/gateway-error.js";
import type { GeminiContent, GeminiPart, GenerateContentBody } from "../wire-types.js";

const DATA_URL = /^data:([^;,]+);base64,(.*)$/s;

function refuse(param: string, what: string): never {
  throw new GatewayError("invalid_request", `${what} is not available for this model: its upstream speaks the Gemini API, which has no equivalent.`, { param });
}

function toPart(part: ContentPart, names: ReadonlyMap<string, string>): GeminiPart | undefined {
  switch (part.type) {
    case "text":
      return part.text === "" ? undefined : { text: part.text };
    case "image": {
      const inline = part.url === undefined ? undefined : DATA_URL.exec(part.url);
      if (inline) return { inlineData: { mimeType: inline[1]!, data: inline[2]! } };
      if (part.url !== undefined) return { fileData: { fileUri: part.url, ...(part.mediaType === undefined ? {} : { mimeType: part.mediaType }) } };
      return { inlineData: { mimeType: part.mediaType ?? "image/png", data: part.data ?? "" } };
    }
    case "thinking":
      // Gemini reads earlier thoughts only through its own signatures, which no canonical part carries; the text is left out.
      return undefined;
    case "tool_call":
      return { functionCall: { id: part.id, name: part.name, args: (part.arguments ?? {}) as Record<string, unknown> } };
    case "tool_result": {
      const text = joinText(part.content);
      return { functionResponse: { id: part.toolCallId, name: names.get(part.toolCallId) ?? part.toolCallId, response: part.isError === true ? { error: text } : { output: text } } };
    }
    default: {
      const never: never = part;
      throw new Error(`unknown part ${JSON.stringify(never)}`);
    }
  }
}

/** Turns in Gemini's two roles (tool results travel in user turns), consecutive turns of one role merged. */
function toContents(messages: readonly ChatMessage[]): GeminiContent[] {
  // A function response names its function: the name of the call it answers.
  const names = new Map(messages.flatMap((m) => m.content.flatMap((p) => (p.type === "tool_call" ? [[p.id, p.name] as const] : []))));
  const out: GeminiContent[] = [];
  for (const message of messages) {
    const role = message.role === "assistant" ? "model" : "user";
    const parts = message.content.flatMap((part) => toPart(part, names) ?? []);
    if (parts.length === 0) continue;
    const previous = out.at(-1);
    if (previous?.role === role) previous.parts.push(...parts);
    else out.push({ role, parts });
  }
  return out;
}

function thinkingConfig(thinking: ChatRequest["thinking"]): NonNullable<GenerateContentBody["generationConfig"]>["thinkingConfig"] {
  if (thinking?.enabled === false) return { thinkingBudget: 0 };
  // Thoughts are asked for so that the canonical stream carries them; the serving protocol decides whether to show them.
  return { includeThoughts: true, ...(thinking?.budgetTokens === undefined ? {} : { thinkingBudget: thinking.budgetTokens }) };
}

/** The request body; the model is in the path (client.ts), and the answer always streams. */
export function buildGenerateContentRequest(request: ChatRequest): GenerateContentBody {
  if (request.prompt !== undefined) refuse("prompt", "Raw-prompt completion");
  const { sampling, toolChoice, responseFormat } = request;
  if (sampling.logitBias !== undefined) refuse("logit_bias", "logit_bias");
  if (sampling.minP !== undefined) refuse("min_p", "min_p");
  if (sampling.repeatPenalty !== undefined) refuse("repeat_penalty", "repeat_penalty");
  return {
    contents: toContents(request.messages),
    ...(request.system.length === 0 ? {} : { systemInstruction: { role: "user", parts: [{ text: joinText(request.system) }] } }),
    ...(request.tools.length === 0 ? {} : {
      tools: [{ functionDeclarations: request.tools.map((t) => ({ name: t.name, ...(t.description === undefined ? {} : { description: t.description }), parametersJsonSchema: t.parameters })) }],
      toolConfig: {
        functionCallingConfig: toolChoice.type === "tool" ? { mode: "ANY", allowedFunctionNames: [toolChoice.name] }
          : { mode: toolChoice.type === "required" ? "ANY" : toolChoice.type === "none" ? "NONE" : "AUTO" },
      },
    }),
    generationConfig: {
      ...(sampling.maxTokens === undefined ? {} : { maxOutputTokens: sampling.maxTokens }),
      ...(sampling.temperature === undefined ? {} : { temperature: sampling.temperature }),
      ...(sampling.topP === undefined ? {} : { topP: sampling.topP }),
      ...(sampling.topK === undefined ? {} : { topK: sampling.topK }),
      ...(sampling.seed === undefined ? {} : { seed: sampling.seed }),
      ...(sampling.stop.length === 0 ? {} : { stopSequences: sampling.stop }),
      ...(sampling.presencePenalty === undefined ? {} : { presencePenalty: sampling.presencePenalty }),
      ...(sampling.frequencyPenalty === undefined ? {} : { frequencyPenalty: sampling.frequencyPenalty }),
      ...(sampling.logprobs === undefined ? {} : { responseLogprobs: true, logprobs: sampling.logprobs.top }),
      ...(responseFormat.type === "text" ? {} : { responseMimeType: "application/json" }),
      ...(responseFormat.type === "json_schema" ? { responseJsonSchema: responseFormat.schema } : {}),
      thinkingConfig: thinkingConfig(request.thinking),
    },
  };
}
