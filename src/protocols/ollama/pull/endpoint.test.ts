import assert from "node:assert/strict";
import { test } from "node:test";
import { GatewayError } from "../../../core/gateway-error.js";
import type { PullEvent } from "../../endpoint.js";
import { renderPullStream } from "./endpoint.js";

async function lines(events: () => AsyncGenerator<PullEvent>): Promise<unknown[]> {
  const out = [];
  for await (const line of renderPullStream(events(), "m")) out.push(JSON.parse(line));
  return out;
}

test("progress lines between the manifest and success, as Ollama writes them", async () => {
  assert.deepEqual(await lines(async function* () {
    yield { type: "progress", total: 10, completed: 4 };
    yield { type: "done", path: "/x.gguf" };
  }), [{ status: "pulling manifest" }, { status: "pulling m", digest: "m", total: 10, completed: 4 }, { status: "success" }]);
});

test("a download that fails ends the stream with an error line", async () => {
  assert.deepEqual(await lines(async function* () {
    yield { type: "progress", total: 10, completed: 4 };
    throw new GatewayError("upstream", "gone");
  }), [{ status: "pulling manifest" }, { status: "pulling m", digest: "m", total: 10, completed: 4 }, { error: "gone" }]);
});
