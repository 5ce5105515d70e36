// The side-by-side table: one row per probe, for each server its status, TTFT, tokens/s, total time and verdict,
// under a header naming the server's URL and model. Pure: reports in, text out.
import { probeLabel, type CheckResult, type ServerReport } from "./check-result.js";

type Align = "left" | "right";

interface Column {
  title: string;
  align: Align;
}

interface ColumnGroup {
  title: string;
  columns: readonly Column[];
}

const COLUMN_GAP = "  ";
const GROUP_GAP = " │ ";
const RULE_GAP = "─┼─";

const PROBE_COLUMNS: readonly Column[] = [{ title: "protocol", align: "left" }, { title: "probe", align: "left" }];
const SERVER_COLUMNS: readonly Column[] = [
  { title: "status", align: "right" },
  { title: "TTFT ms", align: "right" },
  { title: "tok/s", align: "right" },
  { title: "total ms", align: "right" },
  { title: "result", align: "left" },
];

const pad = (text: string, width: number, align: Align): string => (align === "left" ? text.padEnd(width) : text.padStart(width));

/** Each column's width: its widest cell or title; a group's last column widens until the group's title fits. */
function columnWidths(groups: readonly ColumnGroup[], rows: readonly (readonly string[])[]): number[][] {
  let index = 0;
  return groups.map((group) => {
    const widths = group.columns.map((column) => {
      const at = index++;
      return Math.max(column.title.length, ...rows.map((row) => (row[at] ?? "").length));
    });
    const inner = widths.reduce((sum, width) => sum + width, 0) + COLUMN_GAP.length * (widths.length - 1);
    widths[widths.length - 1]! += Math.max(0, group.title.length - inner);
    return widths;
  });
}

/** Lays out a grid of cells under group titles and column titles, groups separated by a vertical rule. */
export function grid(groups: readonly ColumnGroup[], rows: readonly (readonly string[])[]): string[] {
  const widths = columnWidths(groups, rows);
  const groupWidths = widths.map((w) => w.reduce((sum, width) => sum + width, 0) + COLUMN_GAP.length * (w.length - 1));
  const line = (cells: (group: number, column: number) => string): string => groups
    .map((group, g) => group.columns.map((column, c) => pad(cells(g, c), widths[g]![c]!, column.align)).join(COLUMN_GAP))
    .join(GROUP_GAP).trimEnd();
  const offsets = groups.map((_, g) => groups.slice(0, g).reduce((sum, group) => sum + group.columns.length, 0));
  return [
    groups.map((group, g) => group.title.padEnd(groupWidths[g]!)).join(GROUP_GAP).trimEnd(),
    line((g, c) => groups[g]!.columns[c]!.title),
    groupWidths.map((width) => "─".repeat(width)).join(RULE_GAP),
    ...rows.map((row) => line((g, c) => row[offsets[g]! + c] ?? "")),
  ];
}

const whole = (value: number | null): string => (value === null ? "-" : String(Math.round(value)));
const oneDecimal = (value: number | null): string => (value === null ? "-" : value.toFixed(1));
const verdict = (check: CheckResult): string => (!check.offered ? "n/a" : check.pass ? "ok" : "FAIL");

function serverCells(check: CheckResult | undefined): string[] {
  if (check === undefined) return ["", "", "", "", ""];
  return [check.status === null ? "-" : String(check.status), whole(check.ttftMs), oneDecimal(check.tokensPerSecond), whole(check.totalMs), verdict(check)];
}

const serverTitle = (report: ServerReport): string => `${report.url} (${report.model ?? "no model"})`;

/** The table of every server's results; the first server's probes give the rows (every server runs the same set). */
export function renderTable(reports: readonly ServerReport[]): string {
  const groups: ColumnGroup[] = [{ title: "", columns: PROBE_COLUMNS }, ...reports.map((report) => ({ title: serverTitle(report), columns: SERVER_COLUMNS }))];
  const rows = (reports[0]?.checks ?? []).map((check, i) => [check.protocol, probeLabel(check), ...reports.flatMap((report) => serverCells(report.checks[i]))]);
  return `${grid(groups, rows).join("\n")}\n`;
}
