// The model to check when none is given: the first one the server lists, asking OpenAI's list, then Ollama's, then
// Gemini's (each with the headers its vendor wants, so a vendor's own API answers too).
import { z } from "zod";
import { CheckFailure } from "./check-failure.js";
import { describeFailure, type Failure } from "./describe-failure.js";
import { bearer, fetchOk, readJson } from "./fetch-ok.js";

interface ModelList {
  path: string;
  headers(apiKey: string | undefined): Record<string, string>;
  first(body: unknown): string | undefined;
}

const firstOf = <T>(schema: z.ZodType<T>, pick: (list: T) => string | undefined) => (body: unknown): string | undefined => {
  const parsed = schema.safeParse(body);
  return parsed.success ? pick(parsed.data) : undefined;
};

const LISTS: readonly ModelList[] = [
  {
    path: "/v1/models",
    // Anthropic's API wants its key as x-api-key and a version; LALS then answers in Anthropic's shape, which has `data[].id` too.
    headers: (key) => ({ ...bearer(key), ...(key === undefined ? {} : { "x-api-key": key }), "anthropic-version": "2023-06-01" }),
    first: firstOf(z.object({ data: z.array(z.object({ id: z.string().min(1) })) }), (list) => list.data[0]?.id),
  },
  {
    path: "/api/tags",
    headers: bearer,
    first: firstOf(z.object({ models: z.array(z.object({ name: z.string().min(1) })) }), (list) => list.models[0]?.name),
  },
  {
    path: "/v1beta/models",
    headers: (key): Record<string, string> => (key === undefined ? {} : { "x-goog-api-key": key }),
    first: firstOf(z.object({ models: z.array(z.object({ name: z.string().min(1) })) }), (list) => list.models[0]?.name.replace(/^models\//, "")),
  },
];

export type Discovery = { model: string } | { failure: Failure };

/** Asks each list in turn; a server that does not answer at all (refused, timed out) is not asked again. */
export async function discoverModel(url: string, apiKey: string | undefined, timeoutMs: number): Promise<Discovery> {
  const failures: { path: string; failure: Failure }[] = [];
  for (const list of LISTS) {
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      const response = await fetchOk(`${url}${list.path}`, { headers: list.headers(apiKey), signal });
      const model = list.first(await readJson(response));
      if (model !== undefined) return { model };
      failures.push({ path: list.path, failure: { status: response.status, reason: "no model listed", body: "" } });
    } catch (error) {
      const failure = describeFailure(error, signal.aborted ? timeoutMs : undefined);
      failures.push({ path: list.path, failure });
      if (failure.status === null && !(error instanceof CheckFailure)) break;
    }
  }
  return { failure: whyNoModel(failures) };
}

/** The most telling failure (anything but a 404), worded for the rows that could not run. */
function whyNoModel(failures: readonly { path: string; failure: Failure }[]): Failure {
  const telling = failures.find((f) => f.failure.status !== 404) ?? failures[0];
  const why = telling === undefined ? "" : ` (GET ${telling.path}: ${telling.failure.reason})`;
  return { status: telling?.failure.status ?? null, reason: `no model found${why}; pass --model`, body: "" };
}
