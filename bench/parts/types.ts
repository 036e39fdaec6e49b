import type { Row } from '../report/rows.ts';

/** What each part hands to the report: table rows, raw data for JSON, notes for the reader. */
export interface PartResult {
  part: string;
  rows: Row[];
  data: unknown;
  notes: string[];
}
