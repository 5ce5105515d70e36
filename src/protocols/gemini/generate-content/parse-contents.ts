// Gemini contents → canonical messages: `user` and `model` turns, their parts as canonical parts.
import type { ChatMessage, ContentPart, TextPart } from "../../../core/chat-request.js";
import { GatewayError } from "../../../core/gateway-error.js";
import { FunctionCalls } from "./function-calls.js";
import type { ContentBody, GenerateContentRequestBody, PartBody } from "./schema.js";

const invalid = (param: string, message: string): GatewayError => new GatewayError("invalid_request", `${param}: ${message}`, { param });

type FunctionResponseBody = NonNullable<PartBody["functionResponse"]>;

/** Google's convention: the result under `output`, a failure under `error`, or else the whole object is the result. */
function resultOf(response: FunctionResponseBody["response"]): { text: string; isError: boolean } {
  const body = response ?? {};
  const isError = Object.hasOwn(body, "error") && !Object.hasOwn(body, "output");
  const value = isError ? body.error : Object.hasOwn(body, "output") ? body.output : body;
  return { text: typeof value === "string" ? value : JSON.stringify(value ?? null), isError };
}

/** The part's data field; a part holds exactly one. */
function dataOf(part: PartBody, param: string): keyof PartBody | undefined {
  const fields = (["text", "functionCall", "functionResponse", "inlineData", "fileData"] as const).filter((key) => part[key] != null);
  if (fields.length > 1) throw invalid(param, `a part holds one of text, functionCall, functionResponse, inlineData or fileData, not ${fields.join(" and ")}.`);
  return fields[0];
}

function userPart(part: PartBody, param: string, calls: FunctionCalls): ContentPart | undefined {
  switch (dataOf(part, param)) {
    case "text":
      return part.text === "" ? undefined : { type: "text", text: part.text! };
    case "inlineData": {
      const { mimeType, data } = part.inlineData!;
      if (!mimeType.startsWith("image/")) throw invalid(`${param}.inlineData.mimeType`, `'${mimeType}' input is not supported by this server; send text or images.`);
      return { type: "image", mediaType: mimeType, data };
    }
    case "fileData": {
      const { mimeType, fileUri } = part.fileData!;
      if (mimeType != null && !mimeType.startsWith("image/")) throw invalid(`${param}.fileData.mimeType`, `'${mimeType}' input is not supported by this server; send text or images.`);
      return { type: "image", url: fileUri, ...(mimeType == null ? {} : { mediaType: mimeType }) };
    }
    case "functionResponse": {
      const response = part.functionResponse!;
      if ((response.parts?.length ?? 0) > 0) throw invalid(`${param}.functionResponse.parts`, "media in function responses is not supported by this server; send the result in `response`.");
      const toolCallId = calls.answer(response.id ?? undefined, response.name, `${param}.functionResponse`);
      const { text, isError } = resultOf(response.response);
      return { type: "tool_result", toolCallId, content: [{ type: "text", text }], ...(isError ? { isError } : {}) };
    }
    case "functionCall":
      throw invalid(`${param}.functionCall`, "function calls belong in model turns.");
    case undefined:
      return undefined;
    default:
      throw invalid(param, "unknown part");
  }
}

function modelPart(part: PartBody, param: string, calls: FunctionCalls, at: [number, number], warnings: string[]): ContentPart | undefined {
  switch (dataOf(part, param)) {
    case "text":
      if (part.text === "") return undefined;
      // An earlier reply's thoughts, sent back as Gemini returned them: the chat template decides what of them the model reads.
      return part.thought === true
        ? { type: "thinking", text: part.text!, ...(part.thoughtSignature == null ? {} : { signature: part.thoughtSignature }) }
        : { type: "text", text: part.text! };
    case "functionCall": {
      const call = part.functionCall!;
      return { type: "tool_call", id: calls.add(call.id ?? undefined, call.name, ...at), name: call.name, arguments: call.args ?? {} };
    }
    case "functionResponse":
      throw invalid(`${param}.functionResponse`, "function responses belong in user turns.");
    case "inlineData":
    case "fileData":
      warnings.push(`${param}: media in model turns is not read by this server's models; left out.`);
      return undefined;
    case undefined:
      return undefined;
    default:
      throw invalid(param, "unknown part");
  }
}

function parseContent(content: ContentBody, i: number, calls: FunctionCalls, warnings: string[]): ChatMessage | undefined {
  const role = content.role === "model" ? "assistant" : "user";
  if (role === "assistant") calls.startModelTurn();
  const parts = (content.parts ?? []).flatMap((part, j) => {
    const param = `contents[${i}].parts[${j}]`;
    return (role === "assistant" ? modelPart(part, param, calls, [i, j], warnings) : userPart(part, param, calls)) ?? [];
  });
  // An empty turn (the SDK's chat records one for a reply it found empty) says nothing to the model.
  return parts.length === 0 ? undefined : { role, content: parts };
}

/** The conversation as canonical messages; function responses matched to their calls. */
export function parseContents(contents: readonly ContentBody[], warnings: string[]): ChatMessage[] {
  const calls = new FunctionCalls();
  const messages = contents.flatMap((content, i) => parseContent(content, i, calls, warnings) ?? []);
  if (messages.length === 0) throw invalid("contents", "must hold at least one part with content.");
  return messages;
}

/** systemInstruction as text parts (it holds text only). */
export function parseSystem(system: GenerateContentRequestBody["systemInstruction"]): TextPart[] {
  if (system == null) return [];
  if (typeof system === "string") return system === "" ? [] : [{ type: "text", text: system }];
  return (system.parts ?? []).flatMap((part, j) => {
    const param = `systemInstruction.parts[${j}]`;
    if (dataOf(part, param) !== "text" && dataOf(part, param) !== undefined) throw invalid(param, "a system instruction holds text only.");
    return part.text == null || part.text === "" ? [] : [{ type: "text" as const, text: part.text }];
  });
}
