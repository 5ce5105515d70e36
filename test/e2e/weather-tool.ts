// The AI SDK tool both AI SDK tests call: it records the city it was called with and returns a forecast.
import { tool } from "ai";
import { z } from "zod";

export function weatherTool(onCall: (city: "Paris" | "Rome") => void) {
  return tool({
    description: "Weather in a city",
    inputSchema: z.object({ city: z.enum(["Paris", "Rome"]) }),
    execute: async ({ city }) => {
      onCall(city);
      return { city, forecast: "sunny" };
    },
  });
}
