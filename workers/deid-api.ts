// The de-identification worker's API: one whole file in, its de-identified bytes (with SHA-256 and
// CRC-32 computed here, off the main thread) and the values left in it out. A thin face over core.
import { transfer } from 'comlink';
import { readDicomFile } from '../src/core/dicom/read';
import { writeDicomFile, writeDicomFileOverSource } from '../src/core/dicom/write';
import { bytesOfSource, roomBefore, type FileSource } from './file-source';
import { DicomReadError } from '../src/core/dicom/types';
import { PixelError } from '../src/core/pixels/decode';
import { DeidError, deidentify, type Override } from '../src/core/deid/apply';
import { importSecret } from '../src/core/deid/keyed-hash';
import type { UidCache } from '../src/core/deid/uids';
import { compileProfile } from '../src/core/profile/compile-profile';
import type { AllowListExtensions, Profile, ProfileOptions } from '../src/core/profile/types';
import { crc32 } from '../src/core/package/crc32';
import { sha256Hex } from '../src/core/package/sha256';
import { valuesLeft } from '../src/core/review/values-left';
import { digestDicomEntry } from '../src/core/report/package-input';
import type { ImageDigest, ReportRow } from '../src/core/report/types';
import { redactPixels } from '../src/core/pixels/redact';
import type { Box, CodecSet } from '../src/core/pixels/types';
import type { ValueOccurrence } from '../src/core/review/dump';
import type { PixelRedaction } from '../src/core/package/redaction-log';

/**
 * What every file of a run shares: the recipe's de-identification part and the project secret.
 * It travels with each job (it is small) so any worker of the pool can take any file; the worker
 * compiles it once per `id`.
 */
export interface DeidSetup {
  /** Changes whenever any other field changes (e.g. a hash of the recipe and a run counter). */
  id: string;
  options: ProfileOptions;
  allowList?: AllowListExtensions;
  overrides?: Override[];
  /** Raw secret bytes; imported as a non-extractable HMAC key inside the worker. */
  secret: ArrayBuffer;
}

export interface DeidJob {
  setup: DeidSetup;
  fileId: string;
  /** The whole original file (see FileSource: a view's room lets a longer header skip a copy). */
  source: FileSource;
  pseudonym: string;
  dateShiftDays: number;
  /** The patient's original identifiers across all their instances (upper-case tokens). */
  identifiers: string[];
  /** The site's names among them (institution, department, station): not cleaned from device identity. */
  siteIdentifiers?: string[];
  /** Return the written file (export) or only the values left in it (dry run). */
  output: boolean;
  /**
   * false: leave out the SHA-256 and CRC-32 of the written file (the benchmark of the header work
   * alone); an export always needs them, for the manifest and the zip.
   */
  checksums?: boolean;
  /** Also digest the written file for the dataset report (export only; off the main thread). */
  digest?: boolean;
  /** Boxes of burned-in text to fill in the pixel data (export only), from the Pixels step. */
  redaction?: { boxes: RedactionJobBox[]; reviewedBy?: string };
}

/** A box to redact, with where it came from (for the log; never the text). */
export interface RedactionJobBox extends Box {
  source?: string;
  reason?: string;
}

/** One written file as the dataset report sees it. */
export interface FileDigest {
  row: ReportRow;
  image?: ImageDigest;
}

export interface DeidOutput {
  /** The written file; often a view of the buffer that was read, so mind its byteOffset. */
  bytes: Uint8Array;
  /** Absent only when the job asked for no checksums. */
  sha256?: string;
  crc32?: number;
}

export interface DeidFacts {
  SOPClassUID?: string;
  SOPInstanceUID?: string;
  StudyInstanceUID?: string;
  SeriesInstanceUID?: string;
  Modality?: string;
  SeriesNumber?: string;
  InstanceNumber?: string;
  TransferSyntaxUID: string;
}

export type DeidJobResult =
  | {
      fileId: string;
      ok: true;
      output?: DeidOutput;
      /** Identifying facts of the de-identified file (new UIDs), for entry paths and the manifest. */
      facts: DeidFacts;
      uidMap: [string, string][];
      values: ValueOccurrence[];
      warnings: string[];
      /** The dataset report's view of the written file (its image path is set by the caller). */
      digest?: FileDigest;
      /** What pixel redaction changed in this file, when it ran (goes into the redaction log). */
      redaction?: PixelRedaction;
    }
  | { fileId: string; ok: false; code: string; reason: string };

const VALUE_NOT_SHOWN = /^<.*>$/;

interface CompiledSetup {
  id: string;
  profile: Profile;
  secret: CryptoKey;
  overrides?: Override[];
  uidCache: UidCache;
}

let compiled: CompiledSetup | undefined;

async function compile(config: DeidSetup): Promise<CompiledSetup> {
  if (compiled?.id === config.id) return compiled;
  compiled = {
    id: config.id,
    profile: compileProfile(config.options, config.allowList),
    secret: await importSecret(new Uint8Array(config.secret)),
    overrides: config.overrides,
    uidCache: new Map(),
  };
  return compiled;
}

let loadCodecs: (() => Promise<CodecSet>) | undefined;

/** The platform's wasm codecs, set by the worker entry (browser or Node) before any job runs. */
export function useCodecs(load: () => Promise<CodecSet>): void {
  loadCodecs = load;
}

async function codecs(): Promise<CodecSet> {
  // Without a loader only native and RLE data (decoded in core) can be redacted.
  return loadCodecs ? loadCodecs() : {};
}

async function processFile(job: DeidJob): Promise<DeidJobResult> {
  const { fileId } = job;
  try {
    const setup = await compile(job.setup);
    const bytesRead = await bytesOfSource(job.source);
    const file = await readDicomFile(bytesRead);
    const result = await deidentify(file, {
      profile: setup.profile,
      secret: setup.secret,
      pseudonym: job.pseudonym,
      dateShiftDays: job.dateShiftDays,
      overrides: setup.overrides,
      identifiers: new Set(job.identifiers),
      siteIdentifiers: new Set(job.siteIdentifiers ?? []),
      uidCache: setup.uidCache,
    });
    const values: ValueOccurrence[] = valuesLeft(result.explain);
    let redaction: PixelRedaction | undefined;
    if (job.output && job.redaction && job.redaction.boxes.length > 0) {
      // Pixels are redacted after the header is rebuilt, in the output's transfer syntax; an image
      // without boxes never gets here, so its PixelData stays bit for bit what the site had.
      const redacted = await redactPixels(result, job.redaction.boxes, await codecs(), {
        reviewed: job.redaction.reviewedBy !== undefined,
      });
      result.dataset = redacted.dataset;
      result.transferSyntaxUID = redacted.transferSyntaxUID;
      if (redacted.changed)
        redaction = {
          ...redacted.log,
          boxes: redacted.log.boxes.map((b) => ({ ...b, approvedBy: job.redaction?.reviewedBy })),
        };
    }
    const facts: DeidFacts = { TransferSyntaxUID: result.transferSyntaxUID };
    for (const row of result.explain) {
      if (row.after === undefined || row.vr === 'SQ' || VALUE_NOT_SHOWN.test(row.after)) continue;
      if (!row.path.includes(' > ') && row.keyword && row.keyword in FACT_KEYWORDS) {
        (facts as unknown as Record<string, string>)[row.keyword] = row.after;
      }
    }
    let output: DeidOutput | undefined;
    let digest: FileDigest | undefined;
    if (job.output) {
      const input = {
        meta: result.meta,
        dataset: result.dataset,
        transferSyntaxUID: result.transferSyntaxUID,
      };
      // The header goes in front of the original pixel bytes, in the buffer that was read; a file
      // whose pixels were redacted, or whose header grew past the room the reader left, is written whole.
      const bytes =
        writeDicomFileOverSource(input, file, roomBefore(job.source, bytesRead)) ??
        writeDicomFile(input);
      if (job.checksums === false) output = { bytes };
      else {
        // WebCrypto may hash on its own thread: the CRC-32 is computed here meanwhile.
        const sha256 = sha256Hex(bytes);
        const crc = crc32(bytes);
        output = { bytes, sha256: await sha256, crc32: crc };
      }
      if (job.digest) {
        const { row, image } = await digestDicomEntry('', bytes, { pixels: true });
        digest = image ? { row, image } : { row };
      }
    }
    return {
      fileId,
      ok: true,
      output,
      facts,
      uidMap: result.uidMap,
      values,
      warnings: result.warnings,
      ...(redaction ? { redaction } : {}),
      ...(digest ? { digest } : {}),
    };
  } catch (error) {
    if (error instanceof DicomReadError)
      return { fileId, ok: false, code: error.code, reason: error.message };
    if (error instanceof DeidError)
      return { fileId, ok: false, code: error.code, reason: error.message };
    if (error instanceof PixelError)
      return {
        fileId,
        ok: false,
        code: `redaction-${error.code}`,
        reason: `the burned-in text could not be redacted: ${error.message}`,
      };
    // Only the error's class and our own message: never a value from the file.
    const name = error instanceof Error ? error.name : 'error';
    return {
      fileId,
      ok: false,
      code: 'deid-failed',
      reason: `the file could not be de-identified (${name})`,
    };
  }
}

const FACT_KEYWORDS = {
  SOPClassUID: 1,
  SOPInstanceUID: 1,
  StudyInstanceUID: 1,
  SeriesInstanceUID: 1,
  Modality: 1,
  SeriesNumber: 1,
  InstanceNumber: 1,
} as const;

/** The raw API object: exposed by deid.worker.ts / deid.node-worker.ts, called directly by tests. */
export const deidWorkerApi = {
  /** Never throws: a file that fails comes back as { ok: false } with a reason naming no value. */
  async deidentifyFile(job: DeidJob): Promise<DeidJobResult> {
    const result = await processFile(job);
    // The written file moves back to the caller instead of being copied.
    return result.ok && result.output
      ? transfer(result, [result.output.bytes.buffer as ArrayBuffer])
      : result;
  },
};

export type DeidWorkerApi = typeof deidWorkerApi;
