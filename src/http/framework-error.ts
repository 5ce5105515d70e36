// Errors raised by fastify itself (bad JSON, body too large, wrong content type) → GatewayError.
import { GatewayError, toGatewayError } from "../core/gateway-error.js";

interface FrameworkError { statusCode?: number; code?: string; message: string }

const isFrameworkError = (e: unknown): e is FrameworkError =>
  e instanceof Error && typeof (e as FrameworkError).statusCode === "number";

export function fromFrameworkError(error: unknown): GatewayError {
  if (error instanceof GatewayError || !isFrameworkError(error)) return toGatewayError(error);
  const status = error.statusCode ?? 500;
  if (status === 413) return new GatewayError("request_too_large", "The request body is too large.");
  if (error.code === "FST_ERR_CTP_INVALID_JSON_BODY" || error instanceof SyntaxError) {
    return new GatewayError("invalid_request", `The request body is not valid JSON: ${error.message}`);
  }
  if (status >= 400 && status < 500) return new GatewayError("invalid_request", error.message);
  return toGatewayError(error);
}
