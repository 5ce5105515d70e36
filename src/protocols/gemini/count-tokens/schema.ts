// The wire request of models/{model}:countTokens: the contents alone, or a whole GenerateContentRequest (which wins).
import type { z } from "zod";
import { content, generateContentRequest, MAX_CONTENTS } from "../generate-content/schema.js";
import { protoObject, repeated } from "../proto-json.js";

export const countTokensRequest = protoObject({
  contents: repeated(content, MAX_CONTENTS, "contents").nullish(),
  generateContentRequest: generateContentRequest.nullish(),
});

export type CountTokensRequestBody = z.infer<typeof countTokensRequest>;
