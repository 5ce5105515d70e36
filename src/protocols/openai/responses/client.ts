// The client half of /v1/responses, for upstream engines.
import { bearer, type ProtocolClient } from "../../../core/protocol-client.js";
import { buildResponsesRequest } from "./build-request.js";
import { ResponsesStreamParser } from "./parse-stream.js";

export const responsesClient: ProtocolClient = {
  path: "/responses",
  headers: bearer,
  body: buildResponsesRequest,
  parser() {
    const parser = new ResponsesStreamParser();
    return {
      feed: (data) => parser.feed(data as Parameters<ResponsesStreamParser["feed"]>[0]),
      finish: () => parser.finish(),
    };
  },
};
