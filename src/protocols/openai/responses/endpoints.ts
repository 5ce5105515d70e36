// The Responses endpoints: POST /v1/responses, its stored responses (retrieve, delete, input_items), cancel, and
// input_tokens. HTTP wiring only; the state is the ResponsesState given in.
import { randomBytes } from "node:crypto";
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import { GatewayError } from "../../../core/gateway-error.js";
import { newId } from "../../../core/ids.js";
import { partitionOf } from "../../../http/api-keys.js";
import { useErrorRenderer } from "../../../http/protocol-errors.js";
import type { RouteDeps } from "../../../http/route-deps.js";
import { sendGeneration } from "../../../http/send-generation.js";
import { validate, maxTokensPolicy } from "../../validate.js";
import { ResponseCancelled, responseNotFound, responsesError, withRetryAfter } from "./errors.js";
import { withTicks } from "../../../core/keep-alive.js";
import { parseResponsesRequest, type ParseOptions } from "./parse-request.js";
import { echoRequest, renderResponse, responseObject, type ResponseIdentity, type WireResponse } from "./render-response.js";
import { renderResponseStream } from "./render-stream.js";
import { cancellable, RunningResponses } from "./running-responses.js";
import { responsesRequest, type ResponsesRequestBody } from "./schema.js";
import { DEFAULT_STORE_LIMITS, outputAsInput, pageItems, ResponseStore, withIds, type StoredResponse, type StoreLimits } from "./store.js";

/** How long a stream may stay silent (a long prompt being read) before a response.in_progress is sent. */
const KEEP_ALIVE_MS = 5_000;

/** What the Responses endpoints keep between requests: one per server. */
export interface ResponsesState {
  store: ResponseStore;
  running: RunningResponses<WireResponse>;
  /** Signs reasoning handed to clients as `encrypted_content`. */
  reasoningKey: Uint8Array;
}

export function createResponsesState(options: { limits?: StoreLimits; reasoningKey?: Uint8Array } = {}): ResponsesState {
  return {
    store: new ResponseStore(options.limits ?? DEFAULT_STORE_LIMITS),
    running: new RunningResponses<WireResponse>(),
    reasoningKey: options.reasoningKey ?? randomBytes(32),
  };
}

export type ResponsesDeps = RouteDeps & { responses: ResponsesState };

/** The stored response a request continues, if it names one; a 404 if that one is not (or no longer) the owner's. */
function continued(store: ResponseStore, owner: string, body: ResponsesRequestBody): StoredResponse | undefined {
  const id = body.previous_response_id ?? undefined;
  if (id === undefined) return undefined;
  const previous = store.get(owner, id);
  if (previous === undefined) throw responseNotFound(id);
  return previous;
}

/** The request parsed against the owner's stored responses: the one it continues and the items it references. */
function parseStateful(store: ResponseStore, owner: string, body: ResponsesRequestBody, options: Omit<ParseOptions, "history" | "storedItem">) {
  const previous = continued(store, owner, body);
  const parsed = parseResponsesRequest(body, { ...options, storedItem: (id) => store.item(owner, id), ...(previous === undefined ? {} : { history: previous.conversation }) });
  return { previous, parsed };
}

/** POST /v1/responses, also called by /v1/inference once it has detected this protocol. */
export function responsesHandler(deps: ResponsesDeps) {
  const { router, config, responses: { store, running, reasoningKey } } = deps;
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const body = validate(responsesRequest, request.body);
    const owner = partitionOf(request);
    const { previous, parsed } = parseStateful(store, owner, body, { ...maxTokensPolicy(config), reasoningKey });
    const identity: ResponseIdentity = {
      id: newId.response(),
      createdAt: Math.floor(Date.now() / 1000),
      echo: echoRequest(body),
      toolNames: parsed.toolNames,
      ...(body.include?.includes("reasoning.encrypted_content") === true ? { reasoningKey } : {}),
    };
    const input = withIds(parsed.input);
    const keep = (response: WireResponse): void => {
      if (body.store === false) return;
      store.put(owner, { response, input, conversation: [...(previous?.conversation ?? []), ...input, ...outputAsInput(response)] });
    };

    const cancel = running.start(owner, identity.id, () => responseObject(identity, { status: "cancelled", output: [] }));
    let streaming = false;
    try {
      return await sendGeneration(reply, deps, {
        engine: cancellable(router.resolve(parsed.request.model), cancel),
        request: parsed.request,
        stream: body.stream === true,
        renderStream: (events) => {
          streaming = true;
          return untilDone(renderResponseStream(withTicks(events, KEEP_ALIVE_MS), { ...identity, onFinish: keep }), () => running.finish(identity.id));
        },
        render: (result) => {
          const response = renderResponse(result, identity);
          keep(response);
          return response;
        },
      });
    } catch (error) {
      if (!(error instanceof ResponseCancelled)) throw withRetryAfter(error);
      const response = responseObject(identity, { status: "cancelled", output: [] });
      keep(response);
      return response;
    } finally {
      if (!streaming) running.finish(identity.id);
    }
  };
}

async function* untilDone(frames: AsyncIterable<string>, done: () => void): AsyncGenerator<string> {
  try {
    yield* frames;
  } finally {
    done();
  }
}

const idParams = z.object({ id: z.string() });
const listQuery = z.looseObject({
  order: z.enum(["asc", "desc"]).optional(),
  after: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
});

export const responsesRoute: FastifyPluginAsync<ResponsesDeps> = async (app, deps) => {
  const { router, config, responses: { store, running, reasoningKey } } = deps;
  useErrorRenderer(app, responsesError);
  const found = (request: FastifyRequest) => {
    const { id } = validate(idParams, request.params);
    const entry = store.get(partitionOf(request), id);
    if (entry === undefined) throw responseNotFound(id, "response_id");
    return { id, entry };
  };

  app.post("/v1/responses", responsesHandler(deps));
  app.get("/v1/responses/:id", async (request) => found(request).entry.response);
  app.delete("/v1/responses/:id", async (request) => {
    const { id } = found(request);
    store.delete(partitionOf(request), id);
    return { id, object: "response", deleted: true };
  });
  app.get("/v1/responses/:id/input_items", async (request) => {
    const { entry } = found(request);
    const query = validate(listQuery, request.query ?? {});
    return pageItems(entry.input, { order: query.order ?? "desc", limit: query.limit ?? 20, ...(query.after === undefined ? {} : { after: query.after }) });
  });
  app.post("/v1/responses/:id/cancel", async (request) => {
    const { id } = validate(idParams, request.params);
    const owner = partitionOf(request);
    const cancelled = running.cancel(owner, id);
    if (cancelled !== undefined) return cancelled;
    if (store.get(owner, id) === undefined) throw responseNotFound(id, "response_id");
    throw new GatewayError("invalid_request", `Response '${id}' is not running and cannot be cancelled.`, { param: "response_id" });
  });
  app.post("/v1/responses/input_tokens", async (request) => {
    const body = validate(responsesRequest, request.body);
    const owner = partitionOf(request);
    const { parsed: { request: chatRequest } } = parseStateful(store, owner, body, { ...maxTokensPolicy(config), reasoningKey });
    return { object: "response.input_tokens", input_tokens: await router.resolve(chatRequest.model).countTokens({ ...chatRequest, partition: owner }) };
  });
};
