// Prints README's configuration table from the settings in src/config.ts (a test keeps README in step with it).
import { flagName, SETTINGS, type SettingName } from "../src/config.js";

export function configTable(): string {
  const rows = (Object.entries(SETTINGS) as [SettingName, (typeof SETTINGS)[SettingName]][]).map(([name, s]) =>
    `| \`${name}\` | \`${flagName(name)}\` | ${s.default === "" ? "—" : `\`${s.default}\``} | ${s.doc} |`);
  return ["| Variable | Flag | Default | Meaning |", "|---|---|---|---|", ...rows].join("\n");
}

if (import.meta.url === `file://${process.argv[1]}`) process.stdout.write(`${configTable()}\n`);
