// The package's library entry: the TypeScript client.
export { LALSClient, type InferenceEvent, type InferenceResult, type LALSClientOptions, type RequestOptions } from "./lals-client.js";
export { LALSError, type ClientProtocol } from "./errors.js";
