// Ollama's images (base64 strings) → canonical image parts, with the media type their first bytes show.
import type { ImagePart } from "../../core/chat-request.js";

/** Base64 of each format's magic bytes. */
const SIGNATURES: ReadonlyArray<[prefix: string, mediaType: string]> = [
  ["iVBORw0KGgo", "image/png"],
  ["/9j/", "image/jpeg"],
  ["R0lGOD", "image/gif"],
  ["UklGR", "image/webp"],
];

const DATA_URL = /^data:([\w.+-]+\/[\w.+-]+);base64,/;

export function imageParts(images: readonly string[]): ImagePart[] {
  return images.map((image) => {
    // Ollama takes bare base64; clients used to OpenAI send data URLs, which carry their type.
    const url = DATA_URL.exec(image);
    const data = url === null ? image : image.slice(url[0].length);
    const mediaType = url?.[1] ?? SIGNATURES.find(([prefix]) => data.startsWith(prefix))?.[1];
    return { type: "image", data, ...(mediaType === undefined ? {} : { mediaType }) };
  });
}
