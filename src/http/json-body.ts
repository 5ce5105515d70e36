// Reads JSON bodies whatever content type the client declares: curl's default form type included.
import type { FastifyInstance } from "fastify";

export function acceptJsonBodies(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "string" }, (_request, body, done) => {
    const text = typeof body === "string" ? body : body.toString("utf8");
    if (text.trim() === "") return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      done(Object.assign(new SyntaxError(message), { statusCode: 400, code: "FST_ERR_CTP_INVALID_JSON_BODY" }), undefined);
    }
  });
}
