// The playground page at GET /, driven in a real headless Chromium (Debian's package, through playwright-core) against
// `lals serve` on the fixture models: what a person sees when they open the server in a browser.
import assert from "node:assert/strict";
import { copyFileSync, existsSync, mkdirSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from "playwright-core";
import { FINISHING_REPLY } from "../../src/fixture/finishing-reply.js";
import { eventually, startServer, type RunningServer } from "../e2e/harness.js";

const CHROMIUM = "/usr/bin/chromium";
const ROOT = new URL("../../", import.meta.url).pathname;
const ARTIFACTS = `${ROOT}test/browser/artifacts`;
const VIEWPORT = { width: 1000, height: 700 };
const REPLY_TIMEOUT_MS = 60_000;
const TOOLS = JSON.stringify([{
  name: "get_weather",
  description: "The weather in a city",
  parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
}], null, 2);
const ENDPOINTS = { openai: "POST /v1/chat/completions", anthropic: "POST /v1/messages", responses: "POST /v1/responses" } as const;
type Protocol = keyof typeof ENDPOINTS;

let browser: Browser;

before(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: the browser tests need Debian's chromium package (apt-get install -y chromium; .ci/run installs it)`);
  }
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
});
after(async () => {
  await browser?.close();
});

interface OpenOptions {
  viewport?: { width: number; height: number };
  waitForModels?: boolean;
  /** Runs before the page is opened (to route its requests, say). */
  prepare?: (page: Page) => Promise<void>;
}

/** A fresh browser profile (empty local storage) on the playground, with every console error and page error collected. */
async function openPlayground(server: RunningServer, { viewport = VIEWPORT, waitForModels = true, prepare }: OpenOptions = {}): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  await prepare?.(page);
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(`console: ${message.text()}`);
  });
  page.on("pageerror", (error) => errors.push(`page: ${error.message}`));
  const response = await page.goto(server.baseUrl);
  assert.equal(response?.status(), 200);
  if (waitForModels) await page.locator("#model[data-loaded=true]").waitFor({ state: "attached" });
  return { context, page, errors };
}

/** Types a message and sends it with Enter, as a keyboard user would. */
async function send(page: Page, text: string): Promise<void> {
  await page.locator("#prompt").focus();
  await page.keyboard.type(text);
  await page.keyboard.press("Enter");
}

/** The last reply (pinned: not whichever is last later) once it is no longer streaming. */
async function finishedReply(page: Page): Promise<Locator> {
  const reply = page.locator("article.assistant").nth(await page.locator("article.assistant").count() - 1);
  await eventually("the reply has finished", async () => (await reply.getAttribute("data-state")) !== "streaming", REPLY_TIMEOUT_MS);
  return reply;
}

const requestLogs = (server: RunningServer, endpoint: string) => server.logs.filter((l) => l.msg === "request" && l.endpoint === endpoint);

async function metric(server: RunningServer, name: string): Promise<number> {
  const text = await (await fetch(`${server.baseUrl}/metrics`)).text();
  const line = text.split("\n").find((l) => l.startsWith(`${name} `));
  assert.ok(line !== undefined, `no ${name} in /metrics`);
  return Number(line.split(" ")[1]);
}

describe("on the finishing fixture", () => {
  let server: RunningServer;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];

  before(async () => {
    server = await startServer({ fixture: "finishing", env: { MODEL_ALIASES: "gpt-4o-mini=qwen3-0.6b,claude-*=qwen3-0.6b" } });
    ({ context, page, errors } = await openPlayground(server));
  });
  after(async () => {
    await context?.close();
    await server?.stop();
  });

  test("a browser gets the page (with a policy allowing only its own inline code), API clients keep getting JSON", async () => {
    const html = await fetch(server.baseUrl, { headers: { accept: "text/html,application/xhtml+xml,*/*;q=0.8" } });
    assert.match(html.headers.get("content-type") ?? "", /^text\/html/);
    assert.match(html.headers.get("content-security-policy") ?? "", /default-src 'none'; script-src 'sha256-[^']+'; style-src 'sha256-[^']+'; connect-src 'self'/);
    assert.match(html.headers.get("vary") ?? "", /accept/);
    assert.match(await html.text(), /<title>LALS playground<\/title>/);
    for (const accept of [undefined, "*/*", "application/json"]) {
      const json = await fetch(server.baseUrl, { headers: accept === undefined ? {} : { accept } });
      assert.match(json.headers.get("content-type") ?? "", /^application\/json/, `Accept: ${accept}`);
      assert.equal((await json.json() as { name: string }).name, "lals");
    }
  });

  test("the page loads with no console errors, every control labelled, the served model and its aliases to pick", async () => {
    assert.deepEqual(errors, []);
    const options = await page.locator("#model option").evaluateAll((nodes) => nodes.map((n) => (n as unknown as { value: string }).value));
    assert.deepEqual(options, ["qwen3-0.6b", "gpt-4o-mini", "claude-*"]);
    const unlabelled = await page.locator("input, select, textarea").evaluateAll((nodes) =>
      nodes.map((n) => n as unknown as { id: string; labels: { length: number } | null }).filter((n) => !n.labels?.length).map((n) => n.id));
    assert.deepEqual(unlabelled, []);
    assert.match(await page.locator("#status").textContent() ?? "", /lals .* · ready/);
  });

  test("a message streams in over OpenAI chat completions and the reply equals the fixture's text, with its stats and raw events", async () => {
    await page.locator("#show-raw").check();
    await send(page, "Hello there!");
    const reply = await finishedReply(page);
    assert.equal(await reply.getAttribute("data-state"), "done");
    assert.equal(await reply.locator(".text").textContent(), FINISHING_REPLY);
    assert.match(await reply.locator(".stats").textContent() ?? "", /^in \d+ · cached \d+ · out \d+ · TTFT \d+ ms · [\d.]+ tokens\/s · stop$/);
    const request = JSON.parse(await reply.locator(".raw-request").textContent() ?? "") as { path: string; body: Record<string, unknown> };
    assert.equal(request.path, "/v1/chat/completions");
    assert.deepEqual(request.body.stream_options, { include_usage: true });
    const events = await reply.locator(".raw-events").textContent() ?? "";
    const deltas = events.split("\n").filter((line) => line.includes('"content":"') && !line.includes('"content":""'));
    assert.ok(deltas.length > 3, `the reply came in pieces, not at once:\n${events}`);
    assert.match(events, /data: \[DONE\]/);
    assert.ok(await reply.locator(".raw").isVisible());
    await page.locator("#show-raw").uncheck();
    assert.ok(!(await reply.locator(".raw").isVisible()));
    await eventually(`the server logged ${ENDPOINTS.openai}`, () => requestLogs(server, ENDPOINTS.openai).length === 1);
    assert.deepEqual(errors, []);
  });

  test("switching protocol sends the other API, with the conversation so far", async () => {
    for (const protocol of ["anthropic", "responses", "openai"] as const) {
      const before = requestLogs(server, ENDPOINTS[protocol]).length;
      await page.locator("#protocol").selectOption(protocol);
      await send(page, `Once more, over ${protocol}.`);
      const reply = await finishedReply(page);
      assert.equal(await reply.getAttribute("data-state"), "done", `${protocol}: ${await reply.textContent()}`);
      assert.equal(await reply.locator(".text").textContent(), FINISHING_REPLY, protocol);
      assert.match(await reply.locator(".stats").textContent() ?? "", /^in \d+ · cached \d+ · out \d+ · TTFT/, protocol);
      await eventually(`the server logged ${ENDPOINTS[protocol]}`, () => requestLogs(server, ENDPOINTS[protocol]).length === before + 1);
      assert.equal(requestLogs(server, ENDPOINTS[protocol]).at(-1)?.status, 200);
    }
    // The Responses request carried the earlier turns, the Anthropic one among them.
    const responses = requestLogs(server, ENDPOINTS.responses).at(-1);
    assert.ok(Number(responses?.inputTokens) > Number(requestLogs(server, ENDPOINTS.openai)[0]?.inputTokens));
    assert.equal(await page.locator("article.assistant").count(), 4);
    assert.deepEqual(errors, []);
  });

  test("the conversation is kept in local storage across a reload", async () => {
    const texts = await page.locator("article .text").allTextContents();
    await page.reload();
    await page.locator("#model[data-loaded=true]").waitFor({ state: "attached" });
    assert.deepEqual(await page.locator("article .text").allTextContents(), texts);
    assert.equal(await page.locator("#protocol").inputValue(), "openai");
    assert.deepEqual(errors, []);
  });

  for (const protocol of ["openai", "anthropic", "responses"] as const satisfies readonly Protocol[]) {
    test(`${protocol}: a forced tool call renders, and a typed tool result goes back and is answered`, async () => {
      await page.locator("#clear").click();
      assert.equal(await page.locator("article").count(), 0);
      await page.locator("#protocol").selectOption(protocol);
      await page.locator("#tools").fill(TOOLS);
      await page.locator("#tool-choice").selectOption("tool:get_weather");
      await send(page, "What is the weather in Paris?");
      const reply = await finishedReply(page);
      assert.equal(await reply.getAttribute("data-state"), "done", await reply.textContent() ?? "");
      const call = reply.locator(".tool-call");
      assert.equal(await call.count(), 1);
      assert.equal(await call.locator("code").textContent(), "get_weather");
      const args = JSON.parse(await call.locator(".tool-args").textContent() ?? "") as unknown;
      assert.ok(typeof args === "object" && args !== null && !Array.isArray(args), "the arguments are a JSON object");
      assert.match(await reply.locator(".stats").textContent() ?? "", /^in \d+ · cached \d+ · out \d+ · TTFT \d+ ms · (tool_calls|tool_use|function_call)$/, "no pace for a call that arrives whole");

      // Let the model answer in text now, then type the result and send it with the keyboard.
      await page.locator("#tool-choice").selectOption("");
      const result = call.locator(".tool-result textarea");
      await result.focus();
      await page.keyboard.type('{"temperature_c": 21, "sky": "clear"}');
      await page.keyboard.press("Control+Enter");
      await page.locator("article.tool").waitFor();
      assert.equal(await page.locator("article.tool .text").textContent(), '{"temperature_c": 21, "sky": "clear"}');
      await page.locator("article.assistant").nth(1).waitFor();
      const answer = await finishedReply(page);
      assert.equal(await answer.getAttribute("data-state"), "done", await answer.textContent() ?? "");
      assert.equal(await answer.locator(".text").textContent(), FINISHING_REPLY);
      assert.equal(await reply.locator(".tool-result").count(), 0, "an answered call offers no form");

      const sent = JSON.parse(await answer.locator(".raw-request").textContent() ?? "") as { body: Record<string, unknown> };
      const wire = JSON.stringify(sent.body);
      assert.ok(wire.includes(JSON.stringify('{"temperature_c": 21, "sky": "clear"}')), `the result went back: ${wire}`);
      assert.deepEqual(errors, []);
    });
  }

  test("a screenshot of the page is saved", async () => {
    await page.locator("#clear").click();
    await page.locator("#protocol").selectOption("openai");
    await page.locator("#system").fill("You are a helpful assistant.");
    await send(page, "Hello! Who are you?");
    await finishedReply(page);
    await page.locator("#tool-choice").selectOption("tool:get_weather");
    await send(page, "What is the weather in Paris?");
    await finishedReply(page);
    await page.locator("#tool-choice").selectOption("");
    await page.locator(".tool-result textarea").fill('{"temperature_c": 21, "sky": "clear"}');
    await page.locator(".tool-result button").click();
    await page.locator("article.assistant").nth(2).waitFor();
    await finishedReply(page);
    await page.locator("#prompt").fill("Thanks!");
    await page.locator("#settings").evaluate((settings) => { (settings as unknown as { scrollTop: number }).scrollTop = 0; });
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: `${ARTIFACTS}/playground.png` });
    mkdirSync(`${ROOT}docs`, { recursive: true });
    copyFileSync(`${ARTIFACTS}/playground.png`, `${ROOT}docs/playground.png`);
    assert.deepEqual(errors, []);
  });

  test("at 400 px wide nothing overflows sideways and the composer is reachable", async () => {
    const narrow = await openPlayground(server, { viewport: { width: 400, height: 800 } });
    try {
      await send(narrow.page, "Hi");
      await finishedReply(narrow.page);
      const overflow = await narrow.page.evaluate<number>("document.documentElement.scrollWidth - document.documentElement.clientWidth");
      assert.equal(overflow, 0);
      assert.ok(await narrow.page.locator("#prompt").isVisible());
      await narrow.page.screenshot({ path: `${ARTIFACTS}/playground-400.png`, fullPage: true });
      assert.deepEqual(narrow.errors, []);
    } finally {
      await narrow.context.close();
    }
  });
});

describe("on the default fixture (replies that never end)", () => {
  let server: RunningServer;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];

  before(async () => {
    server = await startServer({ env: { MODEL_PARALLEL: "1", MODEL_N_CTX: "32768", MAX_TOKENS_LIMIT: "32000" } });
    ({ context, page, errors } = await openPlayground(server));
  });
  after(async () => {
    await context?.close();
    await server?.stop();
  });

  test("Stop aborts the request and the server frees the slot", async () => {
    await page.locator("#max-tokens").fill("30000");
    await send(page, "A very long answer, please.");
    const reply = page.locator("article.assistant").first();
    await eventually("text streams in", async () => (await reply.locator(".body").textContent() ?? "").length > 20, REPLY_TIMEOUT_MS);
    assert.equal(await reply.getAttribute("data-state"), "streaming");
    assert.equal(await metric(server, "lals_slots_busy"), 1);
    await page.locator("#stop").click();
    await eventually("the reply shows it was stopped", async () => (await reply.getAttribute("data-state")) === "stopped");
    await eventually("the slot is free", async () => (await metric(server, "lals_slots_busy")) === 0);
    await eventually("the server logged the abandoned request", () => requestLogs(server, ENDPOINTS.openai).some((l) => l.status === 499));
    assert.match(await reply.locator(".stats").textContent() ?? "", /stopped/);
    assert.ok(await page.locator("#send").isEnabled());
    assert.ok(await page.locator("#stop").isDisabled());
    assert.deepEqual(errors, []);
  });

  for (const protocol of ["openai", "responses"] as const satisfies readonly Protocol[]) {
    test(`${protocol}: with thinking on, the reply's thinking shows in a collapsed block that opens from the keyboard`, async () => {
      await page.locator("#clear").click();
      await page.locator("#protocol").selectOption(protocol);
      await page.locator("#max-tokens").fill("24");
      await page.locator("#thinking").check();
      await send(page, "Think first.");
      const reply = await finishedReply(page);
      assert.equal(await reply.getAttribute("data-state"), "done", await reply.textContent() ?? "");
      const thinking = reply.locator("details.thinking");
      assert.equal(await thinking.count(), 1);
      assert.ok((await thinking.locator(".thinking-text").textContent() ?? "").length > 0);
      assert.equal(await thinking.getAttribute("open"), null, "collapsed");
      await thinking.locator("summary").focus();
      await page.keyboard.press("Enter");
      assert.equal(await thinking.getAttribute("open"), "", "open");
      assert.ok(await thinking.locator(".thinking-text").isVisible());
      const sent = JSON.parse(await reply.locator(".raw-request").textContent() ?? "") as { body: Record<string, unknown> };
      assert.deepEqual(protocol === "openai" ? sent.body.reasoning_effort : sent.body.reasoning, protocol === "openai" ? "low" : { effort: "low" });
      assert.deepEqual(errors, []);
    });
  }
});

describe("on a server with API keys", () => {
  const KEY = "sk-playground-test";
  let server: RunningServer;

  before(async () => {
    server = await startServer({ fixture: "finishing", env: { API_KEYS: KEY } });
  });
  after(async () => {
    await server?.stop();
  });

  test("the page asks for a key, lists the models once one is typed, sends it with both protocols and keeps it", async () => {
    // The server's line (GET / as JSON) held back until after the refused model list: it must not hide the refusal.
    const { context, page, errors } = await openPlayground(server, {
      waitForModels: false,
      prepare: async (p) => {
        await p.route((url) => url.pathname === "/", async (route) => {
          if (route.request().resourceType() === "fetch") await sleep(500);
          await route.continue();
        });
      },
    });
    try {
      await eventually("the page says the models need a key", async () => /API key/.test(await page.locator("#status").textContent() ?? ""));
      await sleep(1_000);
      assert.match(await page.locator("#status").textContent() ?? "", /API key/, "still shown once the server's line has come");
      assert.deepEqual(errors.filter((e) => !/status of 401/.test(e)), [], "nothing but the refused model list");
      errors.length = 0;

      await page.locator("#api-key").fill(KEY);
      await page.keyboard.press("Tab");
      await page.locator("#model[data-loaded=true]").waitFor({ state: "attached" });
      assert.match(await page.locator("#status").textContent() ?? "", /^lals \S+ · /, "the server's line is back once the models load");
      for (const protocol of ["anthropic", "openai"] as const) {
        await page.locator("#protocol").selectOption(protocol);
        const before = requestLogs(server, ENDPOINTS[protocol]).length;
        await send(page, `Hello over ${protocol}`);
        const reply = await finishedReply(page);
        assert.equal(await reply.getAttribute("data-state"), "done", await reply.textContent() ?? "");
        assert.equal(await reply.locator(".text").textContent(), FINISHING_REPLY);
        await eventually(`the server logged ${ENDPOINTS[protocol]}`, () => requestLogs(server, ENDPOINTS[protocol]).length === before + 1);
        assert.equal(requestLogs(server, ENDPOINTS[protocol]).at(-1)?.status, 200);
      }
      assert.equal(await page.locator(".raw-request").first().textContent().then((t) => t?.includes(KEY)), false, "the key is not shown in the raw request");

      await page.reload();
      await page.locator("#model[data-loaded=true]").waitFor({ state: "attached" });
      assert.equal(await page.locator("#api-key").inputValue(), KEY);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
});
