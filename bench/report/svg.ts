// The chart, written by hand (no dependency): mesh_ms(N) for roomlink and the bare page
// (median as a line, the range of runs as a bar), and message latency as cumulative
// distributions. Inputs are plain numbers so the chart can be drawn from any results.

export interface MeshPoint {
  n: number;
  median: number;
  min: number;
  max: number;
}

export interface ChartInput {
  title: string;
  subtitle: string;
  mesh: { app: MeshPoint[]; bare: MeshPoint[] } | null;
  latency: { app: number[]; bare: number[] } | null;
}

const WIDTH = 960;
const HEIGHT = 460;
const PANEL = { top: 110, bottom: 400, width: 400 };
const LEFT_X = 70;
const RIGHT_X = 540;
const COLORS = { app: '#d9480f', bare: '#1c7ed6', grid: '#dee2e6', text: '#212529', muted: '#868e96' };

const esc = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const num = (value: number): string => (Math.round(value * 10) / 10).toString();

/** A "nice" upper bound and step for an axis from 0 to max. */
function niceAxis(max: number, ticks = 5): { top: number; step: number } {
  if (!(max > 0)) return { top: 1, step: 0.2 };
  const raw = max / ticks;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? raw;
  return { top: Math.ceil(max / step) * step, step };
}

function text(x: number, y: number, content: string, attrs = ''): string {
  return `<text x="${num(x)}" y="${num(y)}" ${attrs}>${esc(content)}</text>`;
}

function frame(
  x0: number,
  title: string,
  xLabel: string,
  yLabel: string,
  yTop: number,
  yStep: number,
  yUnit: string,
): string[] {
  const parts = [text(x0, PANEL.top - 22, title, 'font-size="15" font-weight="600"')];
  const h = PANEL.bottom - PANEL.top;
  for (let v = 0; v <= yTop + 1e-9; v += yStep) {
    const y = PANEL.bottom - (v / yTop) * h;
    parts.push(`<line x1="${x0}" x2="${x0 + PANEL.width}" y1="${num(y)}" y2="${num(y)}" stroke="${COLORS.grid}"/>`);
    parts.push(text(x0 - 6, y + 4, `${num(v)}${yUnit}`, `text-anchor="end" font-size="11" fill="${COLORS.muted}"`));
  }
  parts.push(text(x0 + PANEL.width / 2, PANEL.bottom + 36, xLabel, 'text-anchor="middle" font-size="12"'));
  parts.push(
    text(
      x0 - 52,
      PANEL.top + h / 2,
      yLabel,
      `text-anchor="middle" font-size="12" transform="rotate(-90 ${x0 - 52} ${num(PANEL.top + h / 2)})"`,
    ),
  );
  return parts;
}

function meshPanel(mesh: NonNullable<ChartInput['mesh']>): string[] {
  const all = [...mesh.app, ...mesh.bare].filter((p) => Number.isFinite(p.max));
  const ns = [...new Set(all.map((p) => p.n))].sort((a, b) => a - b);
  const { top, step } = niceAxis(Math.max(...all.map((p) => p.max), 1));
  const parts = frame(
    LEFT_X,
    'Mesh formation: mesh_ms(N)',
    'users in the room (N)',
    'ms until everyone heard everyone',
    top,
    step,
    '',
  );
  const h = PANEL.bottom - PANEL.top;
  const xOf = (n: number) => LEFT_X + ((ns.indexOf(n) + 0.5) / Math.max(ns.length, 1)) * PANEL.width;
  const yOf = (v: number) => PANEL.bottom - (v / top) * h;
  for (const n of ns) parts.push(text(xOf(n), PANEL.bottom + 16, String(n), 'text-anchor="middle" font-size="11"'));
  for (const [flavor, points] of [
    ['app', mesh.app],
    ['bare', mesh.bare],
  ] as const) {
    const color = COLORS[flavor];
    const shift = flavor === 'app' ? -6 : 6;
    const ok = points.filter((p) => Number.isFinite(p.median));
    for (const p of ok) {
      parts.push(
        `<line x1="${num(xOf(p.n) + shift)}" x2="${num(xOf(p.n) + shift)}" y1="${num(yOf(p.min))}" y2="${num(yOf(p.max))}" stroke="${color}" stroke-width="3" opacity="0.35"/>`,
      );
    }
    parts.push(
      `<polyline fill="none" stroke="${color}" stroke-width="2" points="${ok.map((p) => `${num(xOf(p.n) + shift)},${num(yOf(p.median))}`).join(' ')}"/>`,
    );
    for (const p of ok) {
      parts.push(`<circle cx="${num(xOf(p.n) + shift)}" cy="${num(yOf(p.median))}" r="4" fill="${color}"/>`);
      parts.push(
        text(xOf(p.n) + shift + 6, yOf(p.median) - 6, String(Math.round(p.median)), `font-size="10" fill="${color}"`),
      );
    }
  }
  return parts;
}

function latencyPanel(latency: NonNullable<ChartInput['latency']>): string[] {
  const sorted = { app: [...latency.app].sort((a, b) => a - b), bare: [...latency.bare].sort((a, b) => a - b) };
  // The x axis ends at the larger p99 (with room): the tail beyond is summarized in the table.
  const p99 = (s: number[]) => s[Math.max(0, Math.ceil(s.length * 0.99) - 1)] ?? 0;
  const { top, step } = niceAxis(Math.max(p99(sorted.app), p99(sorted.bare), 1) * 1.1);
  const parts: string[] = [
    text(RIGHT_X, PANEL.top - 22, 'Message latency (one way, in-page timestamps)', 'font-size="15" font-weight="600"'),
  ];
  const h = PANEL.bottom - PANEL.top;
  for (let pct = 0; pct <= 100; pct += 25) {
    const y = PANEL.bottom - (pct / 100) * h;
    parts.push(`<line x1="${RIGHT_X}" x2="${RIGHT_X + PANEL.width}" y1="${y}" y2="${y}" stroke="${COLORS.grid}"/>`);
    parts.push(text(RIGHT_X - 6, y + 4, `${pct}%`, `text-anchor="end" font-size="11" fill="${COLORS.muted}"`));
  }
  for (let v = 0; v <= top + 1e-9; v += step) {
    const x = RIGHT_X + (v / top) * PANEL.width;
    parts.push(
      `<line x1="${num(x)}" x2="${num(x)}" y1="${PANEL.bottom}" y2="${PANEL.bottom + 4}" stroke="${COLORS.muted}"/>`,
    );
    parts.push(text(x, PANEL.bottom + 16, num(v), 'text-anchor="middle" font-size="11"'));
  }
  parts.push(
    text(
      RIGHT_X + PANEL.width / 2,
      PANEL.bottom + 36,
      'ms from send to the line on the receiver’s page (to the larger p99)',
      'text-anchor="middle" font-size="12"',
    ),
  );
  parts.push(
    text(
      RIGHT_X - 40,
      PANEL.top + h / 2,
      'messages',
      `text-anchor="middle" font-size="12" transform="rotate(-90 ${RIGHT_X - 40} ${num(PANEL.top + h / 2)})"`,
    ),
  );
  for (const flavor of ['app', 'bare'] as const) {
    const s = sorted[flavor];
    if (s.length === 0) continue;
    const points = s.map(
      (v, i) =>
        `${num(RIGHT_X + (Math.min(v, top) / top) * PANEL.width)},${num(PANEL.bottom - ((i + 1) / s.length) * h)}`,
    );
    parts.push(
      `<polyline fill="none" stroke="${COLORS[flavor]}" stroke-width="2" points="${RIGHT_X},${PANEL.bottom} ${points.join(' ')}"/>`,
    );
  }
  return parts;
}

export function renderChart(input: ChartInput): string {
  const body: string[] = [
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    text(24, 28, input.title, 'font-size="18" font-weight="700"'),
    text(24, 48, input.subtitle, `font-size="12" fill="${COLORS.muted}"`),
    `<rect x="24" y="60" width="12" height="12" fill="${COLORS.app}"/>`,
    text(42, 71, 'roomlink', 'font-size="12"'),
    `<rect x="110" y="60" width="12" height="12" fill="${COLORS.bare}"/>`,
    text(128, 71, 'bare WebRTC page (no app logic)', 'font-size="12"'),
  ];
  body.push(
    ...(input.mesh
      ? meshPanel(input.mesh)
      : [text(LEFT_X, 200, 'mesh not measured in this run', `fill="${COLORS.muted}"`)]),
  );
  body.push(
    ...(input.latency
      ? latencyPanel(input.latency)
      : [text(RIGHT_X, 200, 'latency not measured in this run', `fill="${COLORS.muted}"`)]),
  );
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif" fill="${COLORS.text}">`,
    ...body.map((line) => `  ${line}`),
    '</svg>',
    '',
  ].join('\n');
}
