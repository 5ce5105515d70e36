import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { test } from "node:test";
import { decodeReasoning, encodeReasoning } from "./reasoning-blob.js";

const key = randomBytes(32);

test("a blob decodes back to the thinking it carries", () => {
  const thinking = "Let me think… über ✓\nline two";
  assert.equal(decodeReasoning(encodeReasoning(thinking, key), key), thinking);
});

test("a blob signed with another key, tampered with, or foreign is ignored", () => {
  const blob = encodeReasoning("secret plan", key);
  assert.equal(decodeReasoning(blob, randomBytes(32)), undefined);
  const [prefix, payload, signature] = blob.split(".");
  const forged = `${prefix}.${Buffer.from("other plan").toString("base64url")}.${signature}`;
  assert.notEqual(payload, undefined);
  assert.equal(decodeReasoning(forged, key), undefined);
  assert.equal(decodeReasoning("gAAAAABoOpenAIEncrypted==", key), undefined);
  assert.equal(decodeReasoning("lals1.only-one-part", key), undefined);
});
