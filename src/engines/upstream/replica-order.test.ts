import assert from "node:assert/strict";
import { test } from "node:test";
import { orderReplicas } from "./replica-order.js";

const replica = (name: string, weight = 1, inFlight = 0, downUntil = 0) => ({ name, weight, inFlight, downUntil, currentWeight: 0 });

test("least-in-flight puts the least busy healthy replica first and the resting ones last", () => {
  const replicas = [replica("a", 1, 3), replica("b", 1, 1), replica("c", 1, 0, 2000), replica("d", 1, 2)];
  assert.deepEqual(orderReplicas(replicas, "least-in-flight", 1000).map((r) => r.name), ["b", "d", "a", "c"]);
  assert.deepEqual(orderReplicas(replicas, "least-in-flight", 3000).map((r) => r.name)[0], "c", "back once its rest is over");
});

test("weighted round-robin picks replicas in proportion to their weights, smoothly", () => {
  const replicas = [replica("a", 5), replica("b", 1), replica("c", 1)];
  const firsts = Array.from({ length: 7 }, () => orderReplicas(replicas, "weighted-round-robin", 0)[0]!.name);
  assert.deepEqual(firsts, ["a", "a", "b", "a", "c", "a", "a"]);
});
