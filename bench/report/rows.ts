// One table row per measured figure: roomlink's value, the bare baseline's where there is
// one, their ratio, the target and whether it was met. Values are formatted here once, for
// the console, latest.md and README alike.

export type Verdict = 'pass' | 'miss' | '';

export interface Row {
  part: string;
  measure: string;
  app: string;
  bare: string;
  ratio: string;
  target: string;
  result: Verdict;
}

export function fmt(value: number | null | undefined, unit = '', digits?: number): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  const abs = Math.abs(value);
  const d = digits ?? (abs >= 100 ? 0 : abs >= 10 ? 1 : 2);
  return `${value.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d })}${unit ? ` ${unit}` : ''}`;
}

export function fmtRatio(app: number, bare: number): string {
  return Number.isFinite(app) && Number.isFinite(bare) && bare !== 0 ? `${(app / bare).toFixed(2)}×` : '–';
}

/** pass when ok is true, miss when false, '' when it could not be judged (NaN inputs). */
export function verdict(ok: boolean | null): Verdict {
  return ok === null ? '' : ok ? 'pass' : 'miss';
}

export function row(part: string, measure: string, fields: Partial<Omit<Row, 'part' | 'measure'>>): Row {
  return { part, measure, app: '–', bare: '', ratio: '', target: '', result: '', ...fields };
}

export function markdownTable(rows: readonly Row[]): string {
  const header = ['part', 'measure', 'roomlink', 'bare', 'ratio', 'target', 'result'];
  const lines = [
    `| ${header.join(' | ')} |`,
    `|${header.map((_, i) => (i >= 2 && i <= 4 ? '---:' : '---')).join('|')}|`,
  ];
  for (const r of rows) {
    const result = r.result === 'pass' ? '✅ pass' : r.result === 'miss' ? '❌ miss' : '';
    lines.push(`| ${[r.part, r.measure, r.app, r.bare, r.ratio, r.target, result].join(' | ')} |`);
  }
  return lines.join('\n');
}
