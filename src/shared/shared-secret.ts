// A secret every instance sharing one Redis agrees on (the first to start makes it), such as the key that signs
// reasoning handed to clients, so that what one instance signed another accepts.
import { randomBytes } from "node:crypto";
import type { SharedRedis } from "./shared-redis.js";

export async function sharedSecret(shared: SharedRedis, name: string, bytes: number): Promise<Uint8Array> {
  const key = `lals:secret:${name}`;
  return shared.run(`agreeing on the ${name}`, async (redis) => {
    await redis.set(key, randomBytes(bytes).toString("base64"), "NX");
    const value = await redis.get(key);
    if (value === null) throw new Error(`${key} vanished`);
    return Buffer.from(value, "base64");
  });
}
