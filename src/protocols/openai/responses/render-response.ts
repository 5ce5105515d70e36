// Canonical ChatResult → OpenAI Response object. The stream renderer builds its items with the same functions, so the
// streamed response.completed and the non-streamed object agree field for field.
import type { Response, ResponseOutputItem, ResponseUsage, Tool } from "openai/resources/responses/responses";
import type { StopReason, Usage } from "../../../core/chat-event.js";
import type { ChatResult, ResultBlock } from "../../../core/collect.js";
import { newId, vendorToolId } from "../../../core/ids.js";
import { renderTokenLogprobs } from "../logprobs.js";
import { encodeReasoning } from "./reasoning-blob.js";
import type { ResponsesRequestBody } from "./schema.js";
import { CUSTOM_INPUT, type ToolNames } from "./tools.js";

/** The request fields a Response repeats back. */
export type ResponseEcho = Pick<Response,
  | "instructions" | "metadata" | "model" | "parallel_tool_calls" | "temperature" | "tool_choice" | "tools" | "top_p"
  | "max_output_tokens" | "previous_response_id" | "prompt_cache_key" | "reasoning" | "service_tier" | "text" | "truncation"
  | "safety_identifier" | "top_logprobs" | "background"
> & { store: boolean; user?: string };

export interface ResponseIdentity {
  id: string;
  /** Unix seconds. */
  createdAt: number;
  echo: ResponseEcho;
  toolNames: ToolNames;
  /** Set when the client asked for `reasoning.encrypted_content`. */
  reasoningKey?: Uint8Array;
}

/** OpenAI's wire also says whether the response was kept, which the SDK's type leaves out. */
export type WireResponse = Response & { store: boolean };

export type ItemStatus = "in_progress" | "completed" | "incomplete";

function echoTools(body: ResponsesRequestBody): Tool[] {
  return (body.tools ?? []).flatMap((tool): Tool[] => {
    switch (tool.type) {
      case "function":
        return [{ type: "function", name: tool.name, description: tool.description ?? null, parameters: tool.parameters ?? null, strict: tool.strict ?? null }];
      case "custom":
        return [{ type: "custom", name: tool.name, ...(tool.description == null ? {} : { description: tool.description }) }];
      case "namespace":
        return [{
          type: "namespace", name: tool.name, description: tool.description ?? "",
          tools: tool.tools.map((t) => (t.type === "function"
            ? { type: "function" as const, name: t.name, description: t.description ?? null, parameters: t.parameters ?? null }
            : { type: "custom" as const, name: t.name, ...(t.description == null ? {} : { description: t.description }) })),
        }];
      case "hosted":
        return [];
      default: {
        const never: never = tool;
        throw new Error(`unknown tool ${JSON.stringify(never)}`);
      }
    }
  });
}

function echoToolChoice(choice: ResponsesRequestBody["tool_choice"]): Response["tool_choice"] {
  if (choice == null) return "auto";
  if (typeof choice === "string") return choice;
  if ((choice.type === "function" || choice.type === "custom") && typeof choice.name === "string") return { type: choice.type, name: choice.name };
  if (choice.type === "allowed_tools" && (choice.mode === "auto" || choice.mode === "required") && Array.isArray(choice.tools)) {
    return { type: "allowed_tools", mode: choice.mode, tools: choice.tools as Array<Record<string, unknown>> };
  }
  return "auto";
}

/** The request fields to repeat in every Response for it. */
export function echoRequest(body: ResponsesRequestBody): ResponseEcho {
  const format = body.text?.format;
  return {
    model: body.model,
    instructions: body.instructions ?? null,
    metadata: body.metadata ?? {},
    parallel_tool_calls: body.parallel_tool_calls ?? true,
    temperature: body.temperature ?? null,
    top_p: body.top_p ?? null,
    tool_choice: echoToolChoice(body.tool_choice),
    tools: echoTools(body),
    max_output_tokens: body.max_output_tokens ?? null,
    previous_response_id: body.previous_response_id ?? null,
    prompt_cache_key: body.prompt_cache_key ?? null,
    reasoning: { effort: body.reasoning?.effort ?? null, summary: body.reasoning?.summary ?? null },
    service_tier: "default",
    store: body.store ?? true,
    text: {
      format: format?.type === "json_schema"
        ? { type: "json_schema", name: format.name, schema: format.schema, strict: format.strict ?? null, ...(format.description == null ? {} : { description: format.description }) }
        : { type: format?.type ?? "text" },
      verbosity: body.text?.verbosity ?? "medium",
    },
    truncation: body.truncation ?? "disabled",
    safety_identifier: body.safety_identifier ?? null,
    top_logprobs: body.top_logprobs ?? 0,
    background: false,
    ...(body.user == null ? {} : { user: body.user }),
  };
}

/** A new id for the output item a block becomes. */
export function itemIdFor(block: Pick<ResultBlock, "kind"> & { name?: string }, toolNames: ToolNames): string {
  if (block.kind === "text") return newId.responseMessage();
  if (block.kind === "thinking") return newId.reasoningItem();
  return toolNames.get(block.name ?? "")?.custom === true ? newId.customToolCallItem() : newId.functionCallItem();
}

/** A custom tool's free-text input, from the `{input}` arguments it was offered with. */
export function customInput(args: string): string {
  try {
    const parsed = JSON.parse(args) as unknown;
    if (typeof parsed === "object" && parsed !== null && CUSTOM_INPUT in parsed) {
      const input = (parsed as Record<string, unknown>)[CUSTOM_INPUT];
      return typeof input === "string" ? input : JSON.stringify(input);
    }
  } catch { /* unparseable: the text as the model wrote it */ }
  return args;
}

/** The output item a block becomes, with the id given it when it started. */
export function renderItem(block: ResultBlock, id: string, status: ItemStatus, identity: Pick<ResponseIdentity, "toolNames" | "reasoningKey">): ResponseOutputItem {
  switch (block.kind) {
    case "text":
      return { id, type: "message", role: "assistant", status, content: [{ type: "output_text", text: block.text, annotations: [], logprobs: renderTokenLogprobs(block.logprobs ?? []) }] };
    case "thinking":
      return {
        id, type: "reasoning", summary: [], content: [{ type: "reasoning_text", text: block.text }],
        ...(identity.reasoningKey === undefined ? {} : { encrypted_content: encodeReasoning(block.text, identity.reasoningKey) }),
      };
    case "tool_call": {
      const origin = identity.toolNames.get(block.name);
      const name = origin?.name ?? block.name;
      const namespace = origin?.namespace === undefined ? {} : { namespace: origin.namespace };
      const callId = vendorToolId("call_", block.id);
      if (origin?.custom === true) return { id, type: "custom_tool_call", call_id: callId, name, ...namespace, input: customInput(block.arguments) };
      return { id, type: "function_call", call_id: callId, name, ...namespace, arguments: block.arguments, status };
    }
    default: {
      const never: never = block;
      throw new Error(`unknown block ${JSON.stringify(never)}`);
    }
  }
}

export function renderResponseUsage(usage: Usage): ResponseUsage {
  return {
    input_tokens: usage.inputTokens,
    input_tokens_details: { cached_tokens: usage.cachedTokens, cache_write_tokens: 0 },
    output_tokens: usage.outputTokens,
    output_tokens_details: { reasoning_tokens: usage.thinkingTokens ?? 0 },
    total_tokens: usage.inputTokens + usage.outputTokens,
  };
}

export interface ResponseState {
  status: NonNullable<Response["status"]>;
  output: ResponseOutputItem[];
  usage?: Usage;
  error?: Response["error"];
  incompleteDetails?: Response["incomplete_details"];
}

/** The Response object in a given state; `output_text` is filled in as the SDK would. */
export function responseObject(identity: ResponseIdentity, state: ResponseState): WireResponse {
  const outputText = state.output.flatMap((item) => (item.type === "message" ? item.content.flatMap((c) => (c.type === "output_text" ? [c.text] : [])) : [])).join("");
  return {
    id: identity.id,
    object: "response",
    created_at: identity.createdAt,
    status: state.status,
    ...(state.status === "in_progress" ? {} : { completed_at: Math.floor(Date.now() / 1000) }),
    error: state.error ?? null,
    incomplete_details: state.incompleteDetails ?? null,
    ...identity.echo,
    output: state.output,
    output_text: outputText,
    ...(state.usage === undefined ? {} : { usage: renderResponseUsage(state.usage) }),
  };
}

/** completed, or incomplete when the output budget ran out. */
export function finalState(stopReason: StopReason): Pick<ResponseState, "status" | "incompleteDetails"> {
  return stopReason === "max_tokens" ? { status: "incomplete", incompleteDetails: { reason: "max_output_tokens" } } : { status: "completed" };
}

export function renderResponse(result: ChatResult, identity: ResponseIdentity): WireResponse {
  const state = finalState(result.stopReason);
  const last = result.blocks.length - 1;
  const output = result.blocks.map((block, i) => renderItem(block, itemIdFor(block.kind === "tool_call" ? block : { kind: block.kind }, identity.toolNames),
    state.status === "incomplete" && i === last ? "incomplete" : "completed", identity));
  return responseObject(identity, { ...state, output, usage: result.usage });
}
