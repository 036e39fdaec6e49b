// The command line: its flags, one per row of the table (config-settings.ts) and --help, read
// with node:util's parseArgs, each given once; and the --help text, made from the same rows.
import { parseArgs } from 'node:util';
import type { ConfigResult } from './config.ts';
import { SETTINGS } from './config-settings.ts';

/** The flags given, by name without the dashes: a string flag's text, or true. */
export type Flags = Record<string, string | boolean | undefined>;

/** The flags of `argv`, or what is wrong with them (each message points at --help). */
export function readFlags(
  argv: readonly string[],
): { kind: 'flags'; flags: Flags } | Extract<ConfigResult, { kind: 'invalid' }> {
  try {
    const options: Record<string, { type: 'string' | 'boolean' }> = { help: { type: 'boolean' } };
    for (const s of SETTINGS) options[s.flag] = { type: s.type };
    const parsed = parseArgs({
      args: negativeValuesJoined(argv),
      options,
      strict: true,
      allowPositionals: false,
      tokens: true,
    });
    // parseArgs keeps the last of a flag given twice; which one was meant is anyone's guess
    // (a script's default and the person's own, one overriding the other unseen).
    const given = new Map<string, number>();
    for (const token of parsed.tokens) {
      if (token.kind === 'option') given.set(token.name, (given.get(token.name) ?? 0) + 1);
    }
    const repeated = [...given].filter(([, times]) => times > 1).map(([name]) => name);
    if (repeated.length > 0) {
      return {
        kind: 'invalid',
        errors: repeated.map((name) => `--${name} is given more than once: give it once (see --help)`),
      };
    }
    return { kind: 'flags', flags: parsed.values };
  } catch (error) {
    // parseArgs names the offending flag ("Unknown option '--prot'"); add where to look.
    const message = error instanceof Error ? error.message : String(error);
    return { kind: 'invalid', errors: [`${message} (see --help)`] };
  }
}

/** Flags that take a value (`--port <value>`), by name with their dashes. */
const VALUE_FLAGS = new Set(SETTINGS.filter((s) => s.type === 'string').map((s) => `--${s.flag}`));

/**
 * `--port -1` as `--port=-1`: parseArgs takes a value that starts with a dash for a flag, and
 * refuses it as "ambiguous", which says nothing of the setting's range. No flag of ours is
 * one dash and a digit, so a negative number after a flag that takes a value is that value,
 * and its own check says what is wrong with it (`--port: must be a whole number from 0 to
 * 65535`).
 */
function negativeValuesJoined(argv: readonly string[]): string[] {
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const next = argv[i + 1];
    if (VALUE_FLAGS.has(arg) && next !== undefined && /^-[\d.]/.test(next)) {
      args.push(`${arg}=${next}`);
      i++;
    } else {
      args.push(arg);
    }
  }
  return args;
}

export function usage(): string {
  const lines = SETTINGS.map((s) => {
    const flag = s.type === 'boolean' ? `--${s.flag}` : `--${s.flag} <value>`;
    return `  ${flag.padEnd(34)} ${s.env.padEnd(23)} ${s.help}`;
  });
  return [
    'Usage: npm start -- [options]   (every option can also be set by its environment variable)',
    '',
    `  ${'flag'.padEnd(34)} ${'variable'.padEnd(23)} meaning`,
    ...lines,
    `  ${'--help'.padEnd(34)} ${''.padEnd(23)} print this text`,
    '',
    'A flag wins over its variable; an empty variable counts as unset; a rate of 0 means off.',
  ].join('\n');
}
