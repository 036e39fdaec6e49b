// Command line of `npm run bench`: which parts, what sizes, where to write. Unknown or
// malformed flags stop the run with the usage text rather than being ignored.

/** The parts that run in browsers (one browser environment serves them all). */
export const BROWSER_PARTS = [
  'mesh',
  'latency',
  'stages',
  'burst',
  'leave',
  'history',
  'calls',
  'files',
  'flood',
  'idle',
  'long',
] as const;
export const PARTS = [...BROWSER_PARTS, 'signaling', 'redis', 'hostile', 'relay'] as const;
export type Part = (typeof PARTS)[number];

export interface BenchOptions {
  parts: Set<Part>;
  /** Room sizes for mesh_ms(N). */
  sizes: number[];
  /** Concurrent signaling clients K. */
  clients: number[];
  /** Runs per mesh size (and per leave kind, history newcomer, call size, flood scenario). */
  runs: number;
  /** Messages for the latency measurement. */
  messages: number;
  /** Messages in the burst. */
  burst: number;
  /** Joins per second while join-ack latency is measured. */
  joinRate: number;
  /** Bot processes for the signaling part. */
  botProcs: number;
  quick: boolean;
  out: string;
}

export const USAGE = `usage: npm run bench -- [options]
  --help                   this text
  --only=${PARTS.join(',')}   parts to run (default: all)
  --sizes=2,4,6,8          room sizes for mesh_ms(N)
  --clients=1000,5000,10000  concurrent signaling clients K (rooms of 6)
  --runs=5                 runs per mesh size, leave kind, flood scenario, latency and stages round…
  --messages=200           messages for the latency figure
  --burst=2000             messages in the burst
  --join-rate=500          joins per second while join-ack latency is measured
  --bot-procs=2            processes the signaling bots are spread over
  --quick                  tiny sizes: a smoke run of every part
  --out=bench/results      where JSON, latest.md and latest.svg go`;

const FULL = { sizes: [2, 4, 6, 8], clients: [1000, 5000, 10000], runs: 5, messages: 200, burst: 2000 };
const QUICK = { sizes: [2, 4], clients: [60], runs: 1, messages: 20, burst: 100 };

function numbers(flag: string, value: string, min: number): number[] {
  const list = value.split(',').map((part) => Number(part.trim()));
  if (list.length === 0 || list.some((n) => !Number.isInteger(n) || n < min)) {
    throw new Error(`${flag} wants whole numbers >= ${min}, comma-separated (got ${value})`);
  }
  return list;
}

function single(flag: string, value: string, min: number): number {
  const list = numbers(flag, value, min);
  if (list.length !== 1) throw new Error(`${flag} wants one number (got ${value})`);
  return list[0] as number;
}

/** `--help` (or `-h`) anywhere: the usage is printed and nothing runs. */
export const wantsHelp = (argv: readonly string[]): boolean => argv.includes('--help') || argv.includes('-h');

export function parseOptions(argv: readonly string[], defaultOut: string): BenchOptions {
  const quick = argv.includes('--quick');
  const base = quick ? QUICK : FULL;
  const options: BenchOptions = {
    parts: new Set(PARTS),
    sizes: [...base.sizes],
    clients: [...base.clients],
    runs: base.runs,
    messages: base.messages,
    burst: base.burst,
    joinRate: 500,
    botProcs: 2,
    quick,
    out: defaultOut,
  };
  for (const arg of argv) {
    if (arg === '--quick') continue;
    const match = /^--([a-z-]+)=(.+)$/.exec(arg);
    const [flag, value] = match ? [match[1] ?? '', match[2] ?? ''] : [arg, ''];
    switch (flag) {
      case 'only': {
        const wanted = value.split(',').map((p) => p.trim());
        const unknown = wanted.filter((p) => !(PARTS as readonly string[]).includes(p));
        if (unknown.length > 0) throw new Error(`--only: unknown part(s) ${unknown.join(', ')}`);
        options.parts = new Set(wanted as Part[]);
        break;
      }
      case 'sizes':
        options.sizes = numbers('--sizes', value, 2);
        break;
      case 'clients':
        options.clients = numbers('--clients', value, 6);
        break;
      case 'runs':
        options.runs = single('--runs', value, 1);
        break;
      case 'messages':
        options.messages = single('--messages', value, 1);
        break;
      case 'burst':
        options.burst = single('--burst', value, 1);
        break;
      case 'join-rate':
        options.joinRate = single('--join-rate', value, 1);
        break;
      case 'bot-procs':
        options.botProcs = single('--bot-procs', value, 1);
        break;
      case 'out':
        options.out = value;
        break;
      default:
        throw new Error(`unknown option ${arg}`);
    }
  }
  return options;
}
