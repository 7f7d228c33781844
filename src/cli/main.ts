// Entry point of the `cleanroom` command: dispatches to one command per pipeline step, turns user
// errors into a plain message and exit code 2, and never sends anything over a network.
import { CliError, UsageError } from './args';
import { runScan } from './commands/scan';
import { runDump } from './commands/dump';
import { runExport } from './commands/export';
import { runVerify } from './commands/verify';

const USAGE = `cleanroom ${__APP_VERSION__}: de-identify DICOM folders into clean zip packages, on this computer only.

Usage:
  cleanroom scan <input-dir> --out inventory.csv [--recipe recipe.json] [--json]
      Lists every DICOM instance (one row each) and writes rejected.csv beside it.
  cleanroom dump <input-dir> --out values.csv [--recipe recipe.json] [--json]
      Every unique value left after de-identification, ranked by risk, without writing DICOM.
  cleanroom export <input-dir> --out <dir> [--recipe recipe.json] [--secret-file f]
                   [--key-out <dir>] [--volume-size 2GiB] [--labels labels.csv]
                   [--site NAME] [--review-record <dir>] [--workers N] [--resume] [--json]
      Finds and redacts burned-in text as the recipe says, writes the package zip(s) (with the
      dataset report, licence, readme, labels and split) and the report into <dir>, the key file
      into --key-out. --resume finishes a stopped export: only the missing volumes are written.
  cleanroom verify <zip-or-dir>... --report report.json [--recipe recipe.json] [--no-ocr]
                   [--workers N] [--json]
      Checks a received package (OCR over every high-risk image and a sample of the rest unless
      --no-ocr); exit 0 when it passes, 1 when it has findings.

Exit codes: 0 done, 1 findings (verify) or files that could not be processed, 2 bad arguments or input.
Progress goes to stderr; --json prints a machine-readable summary on stdout.`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'scan':
      return runScan(rest);
    case 'dump':
      return runDump(rest);
    case 'export':
      return runExport(rest);
    case 'verify':
      return runVerify(rest);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(`${USAGE}\n`);
      return command === undefined ? 2 : 0;
    case '--version':
    case 'version':
      process.stdout.write(`${__APP_VERSION__}\n`);
      return 0;
    default:
      throw new UsageError(`unknown command "${command}" (commands: scan, dump, export, verify)`);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`cleanroom: ${error.message}\nRun "cleanroom help" for usage.\n`);
      process.exitCode = 2;
    } else if (error instanceof CliError) {
      process.stderr.write(`cleanroom: ${error.message}\n`);
      process.exitCode = 2;
    } else {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      process.stderr.write(`cleanroom: internal error, please report it:\n${message}\n`);
      process.exitCode = 3;
    }
  },
);
