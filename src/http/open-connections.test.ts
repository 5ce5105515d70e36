import assert from "node:assert/strict";
import { test } from "node:test";
import { OpenConnections, type TrackedSocket } from "./open-connections.js";

/** A socket from `remoteAddress` that records being closed. */
function socket(remoteAddress: string): TrackedSocket & { closed: boolean } {
  return { remoteAddress, closed: false, destroy() { this.closed = true; } };
}

test("below the caps every connection is let in and none closed", () => {
  const open = new OpenConnections({ total: 3, perAddress: 2 });
  const sockets = [socket("a"), socket("a"), socket("b")];
  for (const s of sockets) assert.deepEqual(open.admit(s), { admitted: true });
  assert.equal(open.size, 3);
  assert.ok(sockets.every((s) => !s.closed));
});

test("at the total cap a newcomer closes an idle connection of the address holding most, the one idle longest", () => {
  const open = new OpenConnections({ total: 4, perAddress: 0 });
  const [a1, a2, a3, b1] = [socket("a"), socket("a"), socket("a"), socket("b")];
  for (const s of [b1, a1, a2, a3]) open.admit(s);
  open.requestStarted(a1);
  const c = socket("c");
  const admission = open.admit(c);
  assert.deepEqual(admission, { admitted: true, closed: a2 });
  assert.deepEqual([a1, a2, a3, b1].map((s) => s.closed), [false, true, false, false]);
  assert.equal(open.size, 4);
});

test("a connection idle again after its request is closed after those idle longer", () => {
  const open = new OpenConnections({ total: 2, perAddress: 0 });
  const [first, second] = [socket("a"), socket("a")];
  open.admit(first);
  open.admit(second);
  open.requestStarted(first);
  open.requestEnded(first);
  assert.equal(open.isIdle(first), true);
  open.admit(socket("a"));
  assert.equal(second.closed, true);
  assert.equal(first.closed, false);
});

test("at the total cap with every connection busy the newcomer is refused", () => {
  const open = new OpenConnections({ total: 2, perAddress: 0 });
  const busy = [socket("a"), socket("b")];
  for (const s of busy) {
    open.admit(s);
    open.requestStarted(s);
  }
  assert.deepEqual(open.admit(socket("c")), { admitted: false, reason: "too_many_connections" });
  assert.ok(busy.every((s) => !s.closed));
});

test("an address at its share replaces its own idle connection, and never another address's", () => {
  const open = new OpenConnections({ total: 10, perAddress: 2 });
  const other = socket("b");
  open.admit(other);
  const [a1, a2, a3, a4] = [socket("a"), socket("a"), socket("a"), socket("a")];
  open.admit(a1);
  open.admit(a2);
  assert.deepEqual(open.admit(a3), { admitted: true, closed: a1 });
  open.requestStarted(a2);
  assert.deepEqual(open.admit(a4), { admitted: true, closed: a3 });
  assert.equal(other.closed, false);
  assert.equal(a2.closed, false);
  assert.equal(open.size, 3);
});

test("an address whose share is all busy is refused while other addresses still get in", () => {
  const open = new OpenConnections({ total: 10, perAddress: 1 });
  const a = socket("a");
  open.admit(a);
  open.requestStarted(a);
  assert.deepEqual(open.admit(socket("a")), { admitted: false, reason: "too_many_connections_from_address" });
  assert.deepEqual(open.admit(socket("b")), { admitted: true });
});

test("a forgotten connection frees its place", () => {
  const open = new OpenConnections({ total: 1, perAddress: 0 });
  const first = socket("a");
  open.admit(first);
  open.requestStarted(first);
  open.forget(first);
  assert.deepEqual(open.admit(socket("b")), { admitted: true });
});
