// Gemini's paths name the model and the method in one segment (`models/gemini-2.5-flash:generateContent`). In fastify's
// syntax the model is a regex parameter and `::` a literal colon; a plain `:model::method` would collide with its siblings.

/** The paths of a model's method, under both API versions. */
export const methodPaths = (method: string): string[] => ["/v1beta", "/v1"].map((version) => `${version}/models/:model([^:/]+)::${method}`);
