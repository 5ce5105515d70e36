import assert from "node:assert/strict";
import { test } from "node:test";
import { loadConfig } from "../config.js";
import { Router } from "../engines/router.js";
import { buildServer } from "../server.js";
import { hostName, isAllowedHost, originVerdict, parseList } from "./browser-safety.js";
import { ScriptedEngine } from "../../test/scripted-engine.js";

async function server(env: Record<string, string> = {}) {
  const engine = new ScriptedEngine("m", { inputTokens: 3, deltas: ["hi"] });
  return { app: await buildServer(loadConfig([], env), new Router([engine])), engine };
}

const chat = JSON.stringify({ model: "m", messages: [{ role: "user", content: "x" }] });
const LOCAL = { host: "127.0.0.1:8000" };

test("host names: loopback names, IP addresses, HOST and ALLOWED_HOSTS name the server; other names do not", () => {
  const options = { allowedHosts: ["lals.example"], boundHost: "myhost.lan" };
  for (const host of ["localhost:8000", "LOCALHOST", "127.0.0.1:1", "[::1]:8000", "192.168.1.5:8000", "app.localhost:3000", "myhost.lan:8000", "lals.example", undefined]) {
    assert.ok(isAllowedHost(host, options), String(host));
  }
  for (const host of ["evil.example:8000", "localhost.evil.example", "", "a b"]) assert.ok(!isAllowedHost(host, options), host);
  assert.ok(isAllowedHost("anything.example", { allowedHosts: ["*"], boundHost: "127.0.0.1" }));
  assert.equal(hostName("[::1]:80"), "::1");
});

test("origins: the server's own (same host and port as Host) is same-origin; listed ones are cross-origin; others are refused", () => {
  assert.equal(originVerdict("http://localhost:8000", "localhost:8000", []), "same");
  assert.equal(originVerdict("http://localhost", "localhost:80", []), "same");
  assert.equal(originVerdict("http://localhost:3000", "localhost:8000", []), "refused");
  assert.equal(originVerdict("http://evil.example", "127.0.0.1:8000", []), "refused");
  assert.equal(originVerdict("null", "127.0.0.1:8000", []), "refused");
  assert.equal(originVerdict("https://App.example/", "127.0.0.1:8000", parseList("https://app.example")), "cross");
  assert.equal(originVerdict("https://any.example", "127.0.0.1:8000", ["*"]), "cross");
});

test("a text/plain cross-origin POST is refused 403 in the protocol's shape, before the engine sees it", async () => {
  const { app, engine } = await server();
  const openai = await app.inject({
    method: "POST", url: "/v1/chat/completions", payload: chat, headers: { ...LOCAL, origin: "http://evil.example", "content-type": "text/plain" },
  });
  assert.equal(openai.statusCode, 403);
  assert.equal(openai.json<{ error: { type: string } }>().error.type, "permission_error");
  assert.match(openai.json<{ error: { message: string } }>().error.message, /ALLOWED_ORIGINS/);
  const anthropic = await app.inject({
    method: "POST", url: "/v1/messages", payload: JSON.stringify({ model: "m", max_tokens: 4, messages: [{ role: "user", content: "x" }] }),
    headers: { ...LOCAL, origin: "http://evil.example", "content-type": "text/plain" },
  });
  assert.equal(anthropic.statusCode, 403);
  assert.equal(anthropic.json<{ type: string; error: { type: string } }>().error.type, "permission_error");
  assert.equal(anthropic.headers["access-control-allow-origin"], undefined);
  assert.equal(engine.requests.length, 0);
});

test("a DNS-rebinding Host (a web page's own name resolving to this machine) is refused 403", async () => {
  const { app, engine } = await server();
  const rebound = await app.inject({ method: "POST", url: "/v1/chat/completions", payload: chat, headers: { host: "evil.example:8000", "content-type": "application/json" } });
  assert.equal(rebound.statusCode, 403);
  assert.match(rebound.json<{ error: { message: string } }>().error.message, /ALLOWED_HOSTS/);
  // Same-origin as far as the browser knows: the Origin matches the rebound Host, so only the Host check stops it.
  const sameRebound = await app.inject({ method: "GET", url: "/v1/models", headers: { host: "evil.example:8000", origin: "http://evil.example:8000" } });
  assert.equal(sameRebound.statusCode, 403);
  assert.equal(engine.requests.length, 0);
  const { app: behindProxy } = await server({ ALLOWED_HOSTS: "evil.example" });
  assert.equal((await behindProxy.inject({ method: "GET", url: "/v1/models", headers: { host: "evil.example:8000" } })).statusCode, 200);
});

test("the server's own pages (Origin matching Host) and clients without an Origin are served", async () => {
  const { app } = await server();
  const same = await app.inject({ method: "POST", url: "/v1/chat/completions", payload: chat, headers: { ...LOCAL, origin: "http://127.0.0.1:8000", "content-type": "application/json" } });
  assert.equal(same.statusCode, 200);
  assert.equal(same.headers["access-control-allow-origin"], undefined, "same-origin needs no CORS");
  const curl = await app.inject({ method: "POST", url: "/v1/chat/completions", payload: chat, headers: { ...LOCAL, "content-type": "application/x-www-form-urlencoded" } });
  assert.equal(curl.statusCode, 200);
});

test("an allowed origin gets CORS headers on answers and errors, and its preflight is answered without a key", async () => {
  const { app: open } = await server({ ALLOWED_ORIGINS: "https://app.example" });
  const origin = "https://app.example";
  const preflight = await open.inject({
    method: "OPTIONS", url: "/v1/chat/completions",
    headers: { ...LOCAL, origin, "access-control-request-method": "POST", "access-control-request-headers": "authorization, content-type, x-stainless-os" },
  });
  assert.equal(preflight.statusCode, 204);
  assert.equal(preflight.headers["access-control-allow-origin"], origin);
  assert.match(String(preflight.headers["access-control-allow-methods"]), /POST/);
  assert.equal(preflight.headers["access-control-allow-headers"], "authorization, content-type, x-stainless-os");
  const answer = await open.inject({ method: "POST", url: "/v1/chat/completions", payload: chat, headers: { ...LOCAL, origin, "content-type": "application/json" } });
  assert.equal(answer.statusCode, 200);
  assert.equal(answer.headers["access-control-allow-origin"], origin);
  assert.equal(answer.headers["access-control-expose-headers"], "*");

  const { app: keyed } = await (async () => {
    const engine = new ScriptedEngine("m", { inputTokens: 3, deltas: ["hi"] });
    return { app: await buildServer(loadConfig([], { ALLOWED_ORIGINS: origin }), new Router([engine]), { apiKeys: ["sk-1"] }) };
  })();
  const keyedPreflight = await keyed.inject({ method: "OPTIONS", url: "/v1/messages", headers: { ...LOCAL, origin, "access-control-request-method": "POST" } });
  assert.equal(keyedPreflight.statusCode, 204);
  const unauthorized = await keyed.inject({ method: "POST", url: "/v1/chat/completions", payload: chat, headers: { ...LOCAL, origin } });
  assert.equal(unauthorized.statusCode, 401);
  assert.equal(unauthorized.headers["access-control-allow-origin"], origin, "the page can read why it was refused");

  const otherPreflight = await open.inject({ method: "OPTIONS", url: "/v1/chat/completions", headers: { ...LOCAL, origin: "https://other.example", "access-control-request-method": "POST" } });
  assert.equal(otherPreflight.statusCode, 403);
});

test("refusals are counted in /metrics by reason", async () => {
  const { app } = await server();
  await app.inject({ method: "POST", url: "/v1/chat/completions", payload: chat, headers: { ...LOCAL, origin: "http://evil.example" } });
  await app.inject({ method: "POST", url: "/v1/chat/completions", payload: chat, headers: { host: "evil.example" } });
  const metrics = (await app.inject({ method: "GET", url: "/metrics", headers: LOCAL })).body;
  assert.match(metrics, /lals_rejections_total\{reason="forbidden_origin"\} 1/);
  assert.match(metrics, /lals_rejections_total\{reason="forbidden_host"\} 1/);
});
