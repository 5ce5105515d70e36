import assert from "node:assert/strict";
import { test } from "node:test";
import { ConfigError } from "../../config.js";
import { parseCheckOptions } from "./options.js";

test("one URL: its key and model, and the defaults", () => {
  assert.deepEqual(parseCheckOptions(["http://127.0.0.1:8000/"]), {
    servers: [{ url: "http://127.0.0.1:8000", apiKey: undefined, model: undefined }], json: false, timeoutMs: 60_000, maxTokens: 16,
  });
});

test("two URLs share --api-key and --model unless the second has its own", () => {
  const shared = parseCheckOptions(["http://a:1", "http://b:2/v1", "--api-key", "k", "--model=m", "--json", "--timeout", "1.5", "--max-tokens", "64"]);
  assert.notEqual(shared, "help");
  if (shared === "help") return;
  assert.deepEqual(shared.servers, [{ url: "http://a:1", apiKey: "k", model: "m" }, { url: "http://b:2", apiKey: "k", model: "m" }]);
  assert.equal(shared.timeoutMs, 1500);
  assert.equal(shared.maxTokens, 64);
  assert.equal(shared.json, true);
  const own = parseCheckOptions(["http://a:1", "http://b:2", "--api-key2", "k2", "--model2", "m2"]);
  assert.ok(own !== "help");
  assert.deepEqual(own.servers[0], { url: "http://a:1", apiKey: undefined, model: undefined });
  assert.deepEqual(own.servers[1], { url: "http://b:2", apiKey: "k2", model: "m2" });
});

test("-h and --help ask for the usage", () => {
  assert.equal(parseCheckOptions(["-h"]), "help");
  assert.equal(parseCheckOptions(["http://a", "--help"]), "help");
});

test("misuse is a ConfigError that names the problem and shows the usage", () => {
  const misuses: [string[], RegExp][] = [
    [[], /URL is missing/],
    [["http://a", "http://b", "http://c"], /at most two URLs/],
    [["ftp://a"], /not an http or https URL/],
    [["localhost:8000"], /not an http or https URL/],
    [["not a url"], /not a URL/],
    [["http://a", "--api-key2", "k"], /need a second URL/],
    [["http://a", "--timeout", "0"], /--timeout must be a positive number/],
    [["http://a", "--max-tokens", "2.5"], /--max-tokens must be a positive whole number/],
    [["http://a", "--bogus"], /Unknown option '--bogus'/],
  ];
  for (const [argv, why] of misuses) {
    assert.throws(() => parseCheckOptions(argv), (error: unknown) => {
      assert.ok(error instanceof ConfigError, String(error));
      assert.match(error.message, why);
      assert.match(error.message, /usage: lals check URL/);
      return true;
    }, argv.join(" "));
  }
});
