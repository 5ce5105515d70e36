import assert from "node:assert/strict";
import { test } from "node:test";
import type { ModelInfo } from "../../../engines/engine.js";
import { renderAnthropicModelPage } from "./render.js";

const models: ModelInfo[] = ["a", "b", "c"].map((id) => ({ id, created: 1_700_000_000, ownedBy: "lals", contextLength: 4096 }));
const ids = (page: { data: Array<{ id: string }> }): string[] => page.data.map((m) => m.id);

test("lists models in Anthropic's shape with RFC 3339 creation times", () => {
  const page = renderAnthropicModelPage(models, { limit: 20 });
  assert.deepEqual(ids(page), ["a", "b", "c"]);
  assert.equal(page.data[0]?.type, "model");
  assert.equal(page.data[0]?.created_at, "2023-11-14T22:13:20.000Z");
  assert.deepEqual([page.has_more, page.first_id, page.last_id], [false, "a", "c"]);
});

test("pages forward with limit and after_id, backward with before_id", () => {
  const first = renderAnthropicModelPage(models, { limit: 2 });
  assert.deepEqual([ids(first), first.has_more], [["a", "b"], true]);
  const next = renderAnthropicModelPage(models, { limit: 2, afterId: first.last_id! });
  assert.deepEqual([ids(next), next.has_more], [["c"], false]);
  const back = renderAnthropicModelPage(models, { limit: 1, beforeId: "c" });
  assert.deepEqual([ids(back), back.has_more], [["b"], true]);
});

test("an unknown cursor is an invalid request naming the parameter", () => {
  assert.throws(() => renderAnthropicModelPage(models, { limit: 2, afterId: "zz" }), { kind: "invalid_request", param: "after_id" });
});
