// Writes a run's results: one JSON file per part (<date>-<part>.json, with machine info),
// latest.md (the table and notes) and latest.svg (the chart).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MachineInfo } from '../machine.ts';
import type { PartResult } from '../parts/types.ts';
import { markdownTable } from './rows.ts';

export interface RunMeta {
  machine: MachineInfo;
  options: Record<string, unknown>;
  command: string;
}

function stamp(date: string): string {
  return date.replace(/:/g, '-').replace(/\.\d+Z$/, 'Z');
}

export function writeResults(outDir: string, meta: RunMeta, parts: readonly PartResult[], svg: string): string[] {
  mkdirSync(outDir, { recursive: true });
  const written: string[] = [];
  const prefix = stamp(meta.machine.date);
  for (const part of parts) {
    const path = join(outDir, `${prefix}-${part.part}.json`);
    writeFileSync(
      path,
      `${JSON.stringify({ part: part.part, ...meta, rows: part.rows, notes: part.notes, data: part.data }, null, 2)}\n`,
    );
    written.push(path);
  }
  const md = join(outDir, 'latest.md');
  writeFileSync(md, renderMarkdown(meta, parts));
  const chart = join(outDir, 'latest.svg');
  writeFileSync(chart, svg);
  written.push(md, chart);
  return written;
}

export function renderMarkdown(meta: RunMeta, parts: readonly PartResult[]): string {
  const m = meta.machine;
  const v = m.versions;
  const notes = parts.flatMap((p) => p.notes);
  return [
    `# roomlink benchmark results`,
    '',
    `${m.date} · \`${meta.command}\``,
    '',
    `Machine: ${m.cpus} × ${m.cpuModel}, ${m.memoryGB} GB, Linux ${m.kernel}; load average ${m.loadAverage.start.toFixed(2)} at start, ${m.loadAverage.end?.toFixed(2) ?? '?'} at end.`,
    `Versions: roomlink ${v.roomlink}, Node ${v.node}, ${v.chromium}, socket.io ${v.socketIo}, redis ${v.redis}.`,
    '',
    markdownTable(parts.flatMap((p) => p.rows)),
    '',
    ...(notes.length > 0 ? ['Notes:', '', ...notes.map((n) => `- ${n}`), ''] : []),
    '![mesh and latency](latest.svg)',
    '',
  ].join('\n');
}
