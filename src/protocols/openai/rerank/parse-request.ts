// Rerank request → canonical RankRequest.
import type { RankRequest } from "../../../core/rank-request.js";
import type { RerankRequestBody } from "./schema.js";

export function parseRerankRequest(body: RerankRequestBody): RankRequest {
  return {
    model: body.model,
    query: body.query,
    documents: body.documents.map((d) => (typeof d === "string" ? d : d.text)),
    ...(body.truncate_prompt_tokens == null ? {} : { truncateTokens: body.truncate_prompt_tokens }),
  };
}
