// Against real loopback sockets: what the kernel reports is checked against what the client actually received.
import assert from "node:assert/strict";
import { once } from "node:events";
import { createServer, connect, type AddressInfo, type Socket } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { test } from "node:test";
import { deliveryState, limitSendBuffer } from "./kernel-socket.js";

/** A connected pair on loopback: the server's side and the client's. */
async function pair(): Promise<{ served: Socket; client: Socket; close(): void }> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const client = connect((server.address() as AddressInfo).port, "127.0.0.1");
  const [served] = await once(server, "connection") as [Socket];
  return { served, client, close: () => { client.destroy(); served.destroy(); server.close(); } };
}

const supported = process.platform === "linux" && await (async () => {
  const { served, close } = await pair();
  try { return deliveryState(served) !== undefined; } finally { close(); }
})();

test("the acknowledged count is what a reading client received", { skip: !supported && "no TCP_INFO here" }, async () => {
  const { served, client, close } = await pair();
  try {
    let received = 0;
    client.on("data", (chunk: Buffer) => { received += chunk.length; });
    served.write(Buffer.alloc(300_000));
    while (received < 300_000) await sleep(10);
    await sleep(50);
    assert.deepEqual(deliveryState(served), { acknowledged: 300_000, waiting: false });
  } finally {
    close();
  }
});

test("a client reading nothing: data waits and the acknowledged count stays below what was written", { skip: !supported && "no TCP_INFO here" }, async () => {
  const { served, client, close } = await pair();
  try {
    client.pause();
    assert.equal(limitSendBuffer(served, 64 * 1024), true);
    served.write(Buffer.alloc(4_000_000));
    let state = deliveryState(served)!;
    for (let i = 0; i < 100 && !state.waiting; i++) state = (await sleep(20), deliveryState(served)!);
    assert.equal(state.waiting, true);
    assert.ok(state.acknowledged < 1_000_000, `acknowledged ${state.acknowledged}`);
    // With the small send buffer the rest waits in Node, where writableNeedDrain sees it.
    assert.ok(served.writableLength > 2_000_000, `Node holds ${served.writableLength}`);
  } finally {
    close();
  }
});
