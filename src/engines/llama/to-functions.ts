// Canonical tools and tool choice → the functions node-llama-cpp offers the model, and whether a call is forced.
import type { ChatModelFunctions } from "node-llama-cpp";
import type { ChatRequest } from "../../core/chat-request.js";
import { GatewayError } from "../../core/gateway-error.js";
import { REQUEST_PARAMS } from "../../core/request-param.js";
import { toGrammarSchema } from "./json-schema.js";

export interface FunctionPlan {
  /** Undefined when the model is offered no functions. */
  functions: ChatModelFunctions | undefined;
  /** The reply must start with a call to one of `functions`. */
  forced: boolean;
  /** Schema constraints the grammar cannot enforce, as `tool.path`. */
  unenforced: string[];
}

export function toFunctions(request: ChatRequest): FunctionPlan {
  const { tools, toolChoice } = request;
  if (tools.length === 0 || toolChoice.type === "none") return { functions: undefined, forced: false, unenforced: [] };
  let offered = tools;
  if (toolChoice.type === "tool") {
    offered = tools.filter((t) => t.name === toolChoice.name);
    if (offered.length === 0) {
      throw new GatewayError("invalid_request", `The tool choice names '${toolChoice.name}', which is not among the tools.`, { param: REQUEST_PARAMS.toolChoice });
    }
  }
  const unenforced: string[] = [];
  const functions: ChatModelFunctions = Object.fromEntries(offered.map((tool) => {
    const { schema, unsupported } = toGrammarSchema(tool.parameters);
    unenforced.push(...unsupported.map((path) => `${tool.name}.${path}`));
    return [tool.name, { ...(tool.description === undefined ? {} : { description: tool.description }), params: schema }];
  }));
  return { functions, forced: toolChoice.type === "required" || toolChoice.type === "tool", unenforced };
}
