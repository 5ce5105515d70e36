import assert from "node:assert/strict";
import { test } from "node:test";
import { prefersHtml, quality } from "./prefers-html.js";

const CHROME = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7";
const FIREFOX = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

test("browsers' navigations prefer HTML", () => {
  assert.equal(prefersHtml(CHROME), true);
  assert.equal(prefersHtml(FIREFOX), true);
  assert.equal(prefersHtml("text/*"), true);
});

test("API clients get JSON: no Accept, */*, application/json, and ties", () => {
  assert.equal(prefersHtml(undefined), false);
  assert.equal(prefersHtml("*/*"), false);
  assert.equal(prefersHtml("application/json"), false);
  assert.equal(prefersHtml("application/json, text/plain, */*"), false);
  assert.equal(prefersHtml("text/html, application/json"), false);
  assert.equal(prefersHtml("application/json;q=0.5, text/html;q=0.9"), true);
  assert.equal(prefersHtml("text/html;q=0"), false);
});

test("the most specific matching range gives the quality", () => {
  assert.equal(quality("text/*;q=0.3, text/html;q=0.7, */*;q=0.1", "text/html"), 0.7);
  assert.equal(quality("text/*;q=0.3, */*;q=0.1", "text/html"), 0.3);
  assert.equal(quality("image/png", "text/html"), 0);
  assert.equal(quality("text/html;q=abc", "text/html"), 0);
});
