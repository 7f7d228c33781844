// How an export ended, for the screen: the summary of what was written, and failures in plain words.
import { PickerUnavailableError } from '../../platform/browser';
import { describeWriteError, OutputWriteError } from '../../platform/browser/write-output';
import type { ExportResult } from '../../pipeline/export';
import { SelectionRuleError } from '../../pipeline/export-plan';
import { countRisks } from '../../pipeline/export-report';
import type { InstanceRecord } from '../../store';

/** What an export wrote, for the summary. Paths are shown here on screen only, never written. */
export interface ExportSummary {
  folderName: string;
  volumes: string[];
  written: number;
  selected: number;
  failures: { path: string; reason: string }[];
  highRisk: number;
  distinctValues: number;
  keyFileName: string;
}

export function summarize(
  result: ExportResult,
  rows: readonly InstanceRecord[],
  folderName: string,
  keyFileName: string,
): ExportSummary {
  const pathOf = new Map(rows.map((r) => [r.fileId as string, r.path]));
  return {
    folderName,
    volumes: result.volumes.map((v) => v.name),
    written: result.manifest.files.length,
    selected: rows.length,
    failures: result.failures.map((f) => ({
      path: pathOf.get(f.fileId) ?? f.fileId,
      reason: f.reason,
    })),
    highRisk: countRisks(result).high,
    distinctValues: result.dump.length,
    keyFileName,
  };
}

export class NothingSelectedError extends Error {
  override name = 'NothingSelectedError';
}

export class PreparationError extends Error {
  override name = 'PreparationError';
}

export function errorName(e: unknown): string {
  return e instanceof Error || e instanceof DOMException ? e.name : 'error';
}

export function describeFailure(e: unknown): string {
  if (e instanceof NothingSelectedError)
    return 'Nothing is selected. Select series on the Inventory screen first.';
  if (e instanceof PreparationError) return e.message;
  if (e instanceof SelectionRuleError)
    return 'The selection rule has an error. Fix it on the Inventory screen first.';
  if (e instanceof PickerUnavailableError)
    return 'This browser cannot write into a folder. Use Chrome or Edge, or the cleanroom command line.';
  if (e instanceof OutputWriteError)
    return `The export stopped. ${e.message} Nothing half-written was left behind.`;
  const name = errorName(e);
  if (
    [
      'QuotaExceededError',
      'NotAllowedError',
      'SecurityError',
      'NotFoundError',
      'NoModificationAllowedError',
      'InvalidStateError',
    ].includes(name)
  )
    return `The export stopped. ${describeWriteError(e).message} Nothing half-written was left behind.`;
  return `The export stopped (${name}). Your files are unchanged; you can start it again.`;
}
