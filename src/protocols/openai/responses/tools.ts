// Responses tools → canonical tools. Namespaced functions are offered flattened and custom (free-form) tools as a
// function of one string, `input`; the map kept beside the request turns the model's calls back into wire names.
import type { ChatRequest, ToolDefinition } from "../../../core/chat-request.js";
import { GatewayError } from "../../../core/gateway-error.js";
import { LIMITS } from "../../limits.js";
import type { ResponsesRequestBody, ToolBody } from "./schema.js";

/** What a canonical tool name stands for on the wire. */
export interface ToolOrigin {
  name: string;
  namespace?: string;
  /** A custom tool: its call carries free text (`input`), not JSON arguments. */
  custom: boolean;
}

/** Canonical (flattened) tool name → its wire name and kind. */
export type ToolNames = Map<string, ToolOrigin>;

/** The name a namespaced tool is offered under; namespaces that end in a separator (`mcp__x__`) are joined as they are. */
export function flatName(name: string, namespace: string | null | undefined): string {
  if (namespace == null || namespace === "") return name;
  return /[_.\-]$/.test(namespace) ? `${namespace}${name}` : `${namespace}__${name}`;
}

export const CUSTOM_INPUT = "input";

function customParameters(description: string | null | undefined): Record<string, unknown> {
  return {
    type: "object",
    properties: { [CUSTOM_INPUT]: { type: "string", description: description ?? "The tool's input, as free text." } },
    required: [CUSTOM_INPUT],
    additionalProperties: false,
  };
}

type ClientTool = Exclude<ToolBody, { type: "hosted" | "namespace" }>;

function toDefinition(tool: ClientTool, namespace: string | undefined, request: ChatRequest): ToolDefinition {
  const name = flatName(tool.name, namespace);
  const description = tool.description ?? undefined;
  if (tool.type === "function") {
    return { name, ...(description === undefined ? {} : { description }), parameters: tool.parameters ?? { type: "object", properties: {} } };
  }
  if (tool.format != null && tool.format.type !== "text") request.warnings.push(`tool ${name}: its ${tool.format.syntax ?? tool.format.type} grammar is not enforced; the input is free text.`);
  return { name, ...(description === undefined ? {} : { description }), parameters: customParameters(description) };
}

/**
 * Fills in the request's tools, tool choice and parallel calls; returns the map from canonical names back to wire names.
 * `additional` are the tools of the conversation's `additional_tools` items: offered beside the request's own, a name
 * offered twice keeps its last definition.
 */
export function parseTools(body: ResponsesRequestBody, additional: readonly ToolBody[], request: ChatRequest): ToolNames {
  const names: ToolNames = new Map();
  const definitions = new Map<string, ToolDefinition>();
  const offer = (tool: ClientTool, namespace?: string): void => {
    const definition = toDefinition(tool, namespace, request);
    definitions.delete(definition.name);
    definitions.set(definition.name, definition);
    names.set(definition.name, { name: tool.name, ...(namespace === undefined ? {} : { namespace }), custom: tool.type === "custom" });
  };
  const hosted = new Set<string>();
  for (const tool of [...(body.tools ?? []), ...additional]) {
    if (tool.type === "hosted") hosted.add(tool.hosted_type);
    else if (tool.type === "namespace") for (const inner of tool.tools) offer(inner, tool.name);
    else offer(tool);
  }
  for (const type of hosted) request.warnings.push(`tools[]: the hosted tool '${type}' is not available on this server and was left out.`);
  if (definitions.size > LIMITS.tools.anthropic) {
    throw new GatewayError("invalid_request", `at most ${LIMITS.tools.anthropic} tools in all, additional_tools items included, on this server.`, { param: "input" });
  }
  request.tools.push(...definitions.values());

  const choice = body.tool_choice;
  if (choice != null) {
    if (typeof choice === "string") request.toolChoice = { type: choice };
    else if ((choice.type === "function" || choice.type === "custom") && typeof choice.name === "string") {
      const wanted = choice.name;
      const canonical = names.has(wanted) ? wanted : [...names].find(([, origin]) => origin.name === wanted)?.[0];
      if (canonical === undefined) throw new GatewayError("invalid_request", `tool_choice names '${wanted}', which is not among the tools.`, { param: "tool_choice" });
      request.toolChoice = { type: "tool", name: canonical };
    } else if (choice.type === "allowed_tools" && "mode" in choice && Array.isArray(choice.tools)) {
      const allowed = new Set(choice.tools.map((t) => (typeof t.name === "string" ? t.name : "")));
      request.tools = request.tools.filter((t) => allowed.has(t.name) || allowed.has(names.get(t.name)?.name ?? ""));
      request.toolChoice = { type: choice.mode === "required" ? "required" : "auto" };
    } else request.warnings.push(`tool_choice: the hosted tool '${choice.type}' is not available on this server; the model chooses freely.`);
    if (request.tools.length === 0 && request.toolChoice.type !== "none" && request.toolChoice.type !== "auto") {
      throw new GatewayError("invalid_request", "tool_choice forces a tool call, but no tools were given.", { param: "tool_choice" });
    }
  }
  if (body.parallel_tool_calls === false) request.parallelToolCalls = false;
  return names;
}
