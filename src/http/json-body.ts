// Reads JSON bodies whatever content type the client declares: curl's default form type included (browser-safety.ts
// keeps web pages from using that). fastify's own JSON parser does the parsing, with its guard against prototype
// poisoning (`__proto__` and `constructor.prototype` keys are refused); an empty body is no body.
import type { FastifyInstance } from "fastify";

export function acceptJsonBodies(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser("error", "error");
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "string" }, (request, body, done) => {
    const text = typeof body === "string" ? body : body.toString("utf8");
    if (text.trim() === "") return done(null, undefined);
    parse(request, text, done);
  });
}
