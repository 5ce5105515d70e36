import assert from "node:assert/strict";
import { test } from "node:test";
import { fieldOfWarning } from "./ignored-fields.js";

test("names the field a warning is about, indexes folded", () => {
  assert.equal(fieldOfWarning("context_management is accepted and not applied."), "context_management");
  assert.equal(fieldOfWarning("tools[12]: the hosted tool 'web_search' is not available"), "tools[]");
  assert.equal(fieldOfWarning("text.verbosity is not applied by this server."), "text.verbosity");
});
