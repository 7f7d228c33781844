// Parses the command line of `cleanroom` into a typed command, or a usage error a person can act on.

export class UsageError extends Error {
  override name = 'UsageError';
}

/** An error the user can fix (missing folder, unreadable recipe): printed without a stack trace. */
export class CliError extends Error {
  override name = 'CliError';
}

export interface FlagSpec {
  /** Takes a value (`--out x`) or is a switch (`--json`). */
  value: boolean;
  required?: boolean;
}

export interface ParsedArgs {
  positionals: string[];
  flags: Map<string, string | true>;
}

/** Splits argv into positionals and `--flag value` / `--flag=value` / `--switch`, checked against a spec. */
export function parseArgs(argv: string[], spec: Record<string, FlagSpec>): ParsedArgs {
  const positionals: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--')) {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    const flag = spec[name];
    if (!flag) {
      const known = Object.keys(spec)
        .map((k) => `--${k}`)
        .join(', ');
      throw new UsageError(`unknown option --${name} (this command takes ${known})`);
    }
    if (flags.has(name)) throw new UsageError(`--${name} is given twice`);
    if (!flag.value) {
      if (eq !== -1) throw new UsageError(`--${name} takes no value`);
      flags.set(name, true);
      continue;
    }
    const value = eq !== -1 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined || value === '' || (eq === -1 && value.startsWith('--'))) {
      throw new UsageError(`--${name} needs a value`);
    }
    flags.set(name, value);
  }
  for (const [name, flag] of Object.entries(spec)) {
    if (flag.required && !flags.has(name)) throw new UsageError(`--${name} is required`);
  }
  return { positionals, flags };
}

export function flagString(args: ParsedArgs, name: string): string | undefined {
  const v = args.flags.get(name);
  return typeof v === 'string' ? v : undefined;
}
