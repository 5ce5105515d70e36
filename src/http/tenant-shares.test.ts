import assert from "node:assert/strict";
import { test } from "node:test";
import { GatewayError } from "../core/gateway-error.js";
import { TenantShares } from "./tenant-shares.js";

const open = () => new AbortController().signal;
const settled = async (promise: Promise<unknown>): Promise<boolean> => {
  let done = false;
  void promise.then(() => { done = true; }, () => { done = true; });
  await new Promise((resolve) => setImmediate(resolve));
  return done;
};

test("a tenant past its share waits for one of its own to end; other tenants are not held up", async () => {
  const shares = new TenantShares({ perTenant: 1, maxWaiting: 4 });
  const releaseA = await shares.acquire("a", 1, open());
  const secondA = shares.acquire("a", 1, open());
  assert.equal(await settled(secondA), false, "a's second request waits");
  const releaseB = await shares.acquire("b", 1, open());
  assert.equal(shares.running("b"), 1);
  releaseA();
  releaseA(); // once only
  const releaseSecond = await secondA;
  assert.equal(shares.running("a"), 1);
  releaseSecond();
  releaseB();
  assert.equal(shares.running("a") + shares.running("b"), 0);
});

test("waiters are served in order, a request needing more than the share takes the whole share, an abort leaves the line", async () => {
  const shares = new TenantShares({ perTenant: 2, maxWaiting: 4 });
  const group = await shares.acquire("a", 5, open());
  assert.equal(shares.running("a"), 2);
  const leaving = new AbortController();
  const first = shares.acquire("a", 1, leaving.signal);
  const second = shares.acquire("a", 1, open());
  leaving.abort();
  await assert.rejects(first);
  group();
  await second;
  assert.equal(shares.running("a"), 1);
});

test("past maxWaiting a tenant's request is refused as overloaded; 0 means no cap", async () => {
  const shares = new TenantShares({ perTenant: 1, maxWaiting: 1 });
  await shares.acquire("a", 1, open());
  void shares.acquire("a", 1, open());
  await assert.rejects(shares.acquire("a", 1, open()), (e: unknown) => e instanceof GatewayError && e.kind === "overloaded");
  const free = new TenantShares({ perTenant: 0, maxWaiting: 0 });
  for (let i = 0; i < 10; i++) await free.acquire("a", 3, open());
  assert.equal(free.running("a"), 30);
});
