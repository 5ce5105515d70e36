// The Responses endpoints: POST /v1/responses, its stored responses (retrieve, delete, input_items), cancel, and
// input_tokens, over the server's ResponsesState (the store is this API's own: no other endpoint keeps state).
import { z } from "zod";
import { isCancelled } from "../../../core/cancel-cause.js";
import { GatewayError } from "../../../core/gateway-error.js";
import { newId } from "../../../core/ids.js";
import { withTicks } from "../../../core/keep-alive.js";
import { defineEndpoint, type Endpoint } from "../../endpoint.js";
import { single } from "../../single.js";
import type { ParseOptions } from "../../validate.js";
import { responsesClient } from "./client.js";
import { responseNotFound, responsesError, withRetryAfter } from "./errors.js";
import { inputItems as requestItems, parseResponsesRequest } from "./parse-request.js";
import { echoRequest, renderResponse, responseObject, type ResponseIdentity, type WireResponse } from "./render-response.js";
import { renderResponseStream } from "./render-stream.js";
import { responsesRequest, type ResponsesRequestBody } from "./schema.js";
import type { ResponsesState } from "./state.js";
import type { InputItem } from "./schema.js";
import { outputAsInput, pageItems, withIds, type ResponsesStore, type StoredResponse } from "./store.js";

/** How long a stream may stay silent (a long prompt being read) before a response.in_progress is sent. */
const KEEP_ALIVE_MS = 5_000;

/** The stored response a request continues, if it names one; a 404 if that one is not (or no longer) the owner's. */
async function continued(store: ResponsesStore, owner: string, body: ResponsesRequestBody): Promise<StoredResponse | undefined> {
  const id = body.previous_response_id ?? undefined;
  if (id === undefined) return undefined;
  const previous = await store.get(owner, id);
  if (previous === undefined) throw responseNotFound(id);
  return previous;
}

/** The ids item references name, each once. */
function referencedIds(items: readonly InputItem[]): string[] {
  return [...new Set(items.flatMap((item) => (item.type === "item_reference" && typeof item.id === "string" ? [item.id] : [])))];
}

/** The request parsed against the owner's stored responses: the one it continues and the items it references. */
async function parseStateful({ store, reasoningKey }: ResponsesState, owner: string, body: ResponsesRequestBody, options: ParseOptions) {
  const previous = await continued(store, owner, body);
  // The stored items the history and the input reference, fetched at once: the parse that resolves them reads no store.
  const stored = await store.items(owner, referencedIds([...(previous?.conversation ?? []), ...requestItems(body)]));
  const parsed = parseResponsesRequest(body, {
    ...options,
    reasoningKey,
    storedItem: (id) => stored.get(id),
    ...(previous === undefined ? {} : { history: previous.conversation }),
  });
  return { previous, parsed };
}

async function* untilDone(frames: AsyncIterable<string>, done: () => void): AsyncGenerator<string> {
  try {
    yield* frames;
  } finally {
    done();
  }
}

const idParams = z.object({ id: z.string().max(256) });
const listQuery = z.looseObject({
  order: z.enum(["asc", "desc"]).optional(),
  after: z.string().max(256).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
});

/** The owner's stored response `id`, or a 404. */
async function found(store: ResponsesStore, owner: string, id: string): Promise<StoredResponse> {
  const entry = await store.get(owner, id);
  if (entry === undefined) throw responseNotFound(id, "response_id");
  return entry;
}

const common = { protocol: "openai", errors: (error: GatewayError) => responsesError(error) } as const;

const create = defineEndpoint({
  ...common,
  name: "openai-responses",
  method: "POST",
  paths: ["/v1/responses"],
  body: responsesRequest,
  client: responsesClient,
  async answer({ body, partition: owner, options, state: { responses: state } }) {
    const { store, running } = state;
    const { previous, parsed } = await parseStateful(state, owner, body, options);
    const identity: ResponseIdentity = {
      id: newId.response(),
      createdAt: Math.floor(Date.now() / 1000),
      echo: echoRequest(body),
      toolNames: parsed.toolNames,
      ...(body.include?.includes("reasoning.encrypted_content") === true ? { reasoningKey: state.reasoningKey } : {}),
    };
    const input = withIds(parsed.input);
    // Stored before the client hears it is done: a continuation sent at once, to any instance, finds it.
    const keep = async (response: WireResponse): Promise<void> => {
      if (body.store === false) return;
      await store.put(owner, { response, input, conversation: [...(previous?.conversation ?? []), ...input, ...outputAsInput(response)] });
    };
    const cancelled = (): WireResponse => responseObject(identity, { status: "cancelled", output: [] });
    const cancel = running.start(owner, identity.id, cancelled);
    let finished = false;
    const finish = (): void => {
      if (finished) return;
      finished = true;
      running.finish(identity.id);
    };
    return single({
      request: parsed.request,
      stream: body.stream === true,
      cancel,
      renderStream: (events) => untilDone(renderResponseStream(withTicks(events, KEEP_ALIVE_MS), { ...identity, onFinish: keep }), finish),
      render: async (result) => {
        const response = renderResponse(result, identity);
        await keep(response);
        return response;
      },
      async recover(error) {
        if (!isCancelled(error, "response_cancelled")) throw withRetryAfter(error);
        const response = cancelled();
        await keep(response);
        return response;
      },
      done: finish,
    });
  },
});

const retrieve = defineEndpoint({
  ...common,
  name: "openai-responses-retrieve",
  method: "GET",
  paths: ["/v1/responses/:id"],
  params: idParams,
  answer: async ({ params, partition, state }) => ({ type: "json", body: (await found(state.responses.store, partition, params.id)).response }),
});

const remove = defineEndpoint({
  ...common,
  name: "openai-responses-delete",
  method: "DELETE",
  paths: ["/v1/responses/:id"],
  params: idParams,
  async answer({ params: { id }, partition, state: { responses: { store } } }) {
    await found(store, partition, id);
    await store.delete(partition, id);
    return { type: "json", body: { id, object: "response", deleted: true } };
  },
});

const inputItems = defineEndpoint({
  ...common,
  name: "openai-responses-input-items",
  method: "GET",
  paths: ["/v1/responses/:id/input_items"],
  params: idParams,
  query: listQuery,
  async answer({ params, query, partition, state }) {
    const { input } = await found(state.responses.store, partition, params.id);
    return { type: "json", body: pageItems(input, { order: query.order ?? "desc", limit: query.limit ?? 20, ...(query.after === undefined ? {} : { after: query.after }) }) };
  },
});

const cancelEndpoint = defineEndpoint({
  ...common,
  name: "openai-responses-cancel",
  method: "POST",
  paths: ["/v1/responses/:id/cancel"],
  params: idParams,
  async answer({ params: { id }, partition, state: { responses: { store, running } } }) {
    const cancelled = running.cancel(partition, id);
    if (cancelled !== undefined) return { type: "json", body: cancelled };
    await found(store, partition, id);
    throw new GatewayError("invalid_request", `Response '${id}' is not running and cannot be cancelled.`, { param: "response_id" });
  },
});

const inputTokens = defineEndpoint({
  ...common,
  name: "openai-responses-input-tokens",
  method: "POST",
  paths: ["/v1/responses/input_tokens"],
  body: responsesRequest,
  async answer({ body, partition, options, state }) {
    const { parsed } = await parseStateful(state.responses, partition, body, options);
    return { type: "count_tokens", request: parsed.request, render: (count) => ({ object: "response.input_tokens", input_tokens: count }) };
  },
});

/** The Responses API's endpoints, in the order they are listed. */
export const RESPONSES_ENDPOINTS: readonly Endpoint[] = [create, retrieve, remove, inputItems, cancelEndpoint, inputTokens];
