// Ollama /api/generate request → canonical ChatRequest: with `raw`, a prompt continued as is (as legacy completions
// are); otherwise a chat of the system prompt and one user message.
import { emptyChatRequest, type ChatRequest } from "../../../core/chat-request.js";
import { GatewayError } from "../../../core/gateway-error.js";
import type { ParseOptions } from "../../validate.js";
import { applyGenerationFields } from "../generation-fields.js";
import { imageParts } from "../images.js";
import type { GenerateBody } from "./schema.js";

const invalid = (param: string, message: string): GatewayError => new GatewayError("invalid_request", `${param}: ${message}`, { param });

/** Whether the request only loads or unloads its model, as Ollama reads an empty prompt without images. */
export const loadsOnly = (body: GenerateBody): boolean => (body.prompt ?? "") === "" && (body.images ?? []).length === 0;

export function parseGenerateRequest(body: GenerateBody, options: ParseOptions): ChatRequest {
  if (body.suffix) throw invalid("suffix", "fill-in-the-middle (a suffix after the reply) is not supported by this server; send the prompt alone.");
  const request = emptyChatRequest(body.model);
  const prompt = body.prompt ?? "";
  const images = imageParts(body.images ?? []);
  if (body.raw === true) {
    if (images.length > 0) throw invalid("images", "images need the model's chat template; send them without raw.");
    request.prompt = prompt;
    if (body.system) request.warnings.push("system is not applied with raw: the prompt is sent to the model as is.");
  } else {
    if (body.system) request.system.push({ type: "text", text: body.system });
    request.messages.push({ role: "user", content: [...(prompt === "" ? [] : [{ type: "text" as const, text: prompt }]), ...images] });
  }
  if (body.template) request.warnings.push("template is not applied: prompts are formatted with the model's own chat template (or sent as is with raw).");
  if ((body.context ?? []).length > 0) request.warnings.push("context (deprecated by Ollama) is not applied: send the conversation to /api/chat instead.");
  applyGenerationFields(body, request, options);
  return request;
}
