/** Report formats; a new one is one new file here and one line below. */
import type { ScanReport } from "../types.ts";
import { formatJson } from "./json.ts";
import { formatSarif } from "./sarif.ts";
import { formatTable } from "./table.ts";

export const FORMATS = ["table", "json", "sarif"] as const;
export type ReportFormat = (typeof FORMATS)[number];

export function formatReport(report: ScanReport, format: ReportFormat): string {
  switch (format) {
    case "json":
      return formatJson(report);
    case "sarif":
      return formatSarif(report);
    case "table":
      return formatTable(report);
  }
}

export { formatJson, jsonFinding, type JsonFinding } from "./json.ts";
export { formatSarif } from "./sarif.ts";
export { formatTable } from "./table.ts";
export { atLeast, confidenceOf, CONFIDENCES, type Confidence } from "./confidence.ts";
export { formatExplanation } from "./explain.ts";
