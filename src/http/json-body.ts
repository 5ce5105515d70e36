// Reads JSON bodies whatever content type the client declares: curl's default form type included (browser-safety.ts
// keeps web pages from using that). Each parsed body passes the cheap bounds of json-bounds.ts before anything else sees it.
import type { FastifyInstance } from "fastify";
import { checkJsonBounds } from "../protocols/json-bounds.js";

export function acceptJsonBodies(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "string" }, (_request, body, done) => {
    const text = typeof body === "string" ? body : body.toString("utf8");
    if (text.trim() === "") return done(null, undefined);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return done(Object.assign(new SyntaxError(message), { statusCode: 400, code: "FST_ERR_CTP_INVALID_JSON_BODY" }), undefined);
    }
    try {
      checkJsonBounds(parsed);
    } catch (error) {
      return done(error instanceof Error ? error : new Error(String(error)), undefined);
    }
    done(null, parsed);
  });
}
