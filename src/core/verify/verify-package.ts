// The organizer's package verification: lists the package twice (documents, then every entry) and runs every check.
import { getUid } from '../dicom/element';
import { readDicomFile } from '../dicom/read';
import { DicomReadError, type DicomFile, type Tag } from '../dicom/types';
import { indexRow } from '../inventory/index';
import { sha256Hex } from '../package/sha256';
import { ValueDump } from '../review/dump';
import {
  DICOMDIR_NAME,
  isPackageDocument,
  readPackageDocuments,
  type PackageDocuments,
} from './documents';
import { checkElements } from './element-checks';
import { checkIdentityMarks, checkUids } from './identity-checks';
import { resolveRecipe } from './recipe-check';
import { CheckRecorder } from './recorder';
import { drawVisualSample, imageRecord, ocrSampleSize, planOcr, type ImageRecord } from './sample';
import { ocrNotRunYet } from './ocr-check';
import type { PackageSource } from './source';
import { ReferenceResolver, StudyPseudonyms } from './study-checks';
import { CHECK_IDS, type CheckId, type VerifyOptions, type VerifyReport } from './types';
import { checkHighRiskValues, JudgedValues, valueOccurrences } from './values-check';
import { verdictOf } from './verdict';
import { walkFile } from './walk';

const SOP_CLASS_UID: Tag = 0x00080016;
const SOP_INSTANCE_UID: Tag = 0x00080018;
const MEDIA_STORAGE_SOP_CLASS_UID: Tag = 0x00020002;

export const DEFAULT_SAMPLE_SIZE = 20;
export const DEFAULT_SAMPLE_SEED = 1;
export const DEFAULT_MAX_FINDINGS = 500;
export const DEFAULT_OCR_SAMPLE_FRACTION = 0.05;
export const DEFAULT_OCR_SAMPLE_MINIMUM = 20;

interface SeenEntry {
  size: number;
  /** Undefined when the entry could not be read. */
  sha256?: string;
}

function checkManifest(
  docs: PackageDocuments,
  seen: ReadonlyMap<string, SeenEntry>,
  r: Record<CheckId, CheckRecorder>,
): void {
  const manifestChecks = [r['checksums-match'], r['no-missing-files'], r['no-extra-files']];
  if (!docs.manifestPresent) {
    const why =
      'The package has no manifest.json (made by another tool?): nothing to compare with.';
    r['manifest-present'].notAvailable(why);
    for (const c of manifestChecks) c.notAvailable(why);
    return;
  }
  r['manifest-present'].checked = 1;
  if (docs.manifest === undefined) {
    r['manifest-present'].add(
      'manifest.json',
      docs.manifestProblem ?? 'manifest.json cannot be read.',
    );
    for (const c of manifestChecks) c.notAvailable('manifest.json cannot be read.');
    return;
  }
  const listed = new Set<string>();
  for (const f of [...docs.manifest.files, ...docs.manifest.documents]) {
    listed.add(f.path);
    const got = seen.get(f.path);
    r['no-missing-files'].checked++;
    if (got === undefined) {
      r['no-missing-files'].add(f.path, 'Listed in the manifest but not in the package.');
      continue;
    }
    r['checksums-match'].checked++;
    if (got.sha256 === undefined) {
      r['checksums-match'].add(f.path, 'Could not be read, so its SHA-256 could not be checked.');
    } else if (got.size !== f.size) {
      r['checksums-match'].add(f.path, `Is ${got.size} bytes; the manifest says ${f.size}.`);
    } else if (got.sha256 !== f.sha256) {
      r['checksums-match'].add(
        f.path,
        `SHA-256 is ${got.sha256}; the manifest says ${f.sha256}: the file changed after packaging.`,
      );
    }
  }
  for (const name of seen.keys()) {
    r['no-extra-files'].checked++;
    if (!listed.has(name)) r['no-extra-files'].add(name, 'In the package but not in the manifest.');
  }
}

/**
 * The pseudonym the value ranking may take as harmless: with a recipe, a PatientID in its
 * pseudonym form; without one, a PatientID equal to PatientName (the engine writes both as the
 * pseudonym), since nothing better is known.
 */
function pseudonymOf(
  hasRecipe: boolean,
  studies: StudyPseudonyms,
  patientId: string | undefined,
  patientName: string | undefined,
): string | undefined {
  if (hasRecipe) return studies.isPseudonym(patientId) ? patientId : undefined;
  return patientId !== undefined && patientId !== '' && patientId === patientName
    ? patientId
    : undefined;
}

/**
 * Verifies a package: checksums against its manifest, every DICOM file against the recipe (the
 * organizer's, else the package's own), the marks, UIDs, pseudonyms, references and the values
 * left. Never throws for a bad package: every problem is a finding. Memory: one entry's bytes at a
 * time, plus a few strings per entry and the distinct values of the dump.
 */
export async function verifyPackage(
  source: PackageSource,
  options: VerifyOptions = {},
): Promise<VerifyReport> {
  const maxFindings = options.maxFindingsPerCheck ?? DEFAULT_MAX_FINDINGS;
  const seed = options.sampleSeed ?? DEFAULT_SAMPLE_SEED;
  const sampleSize = options.sampleSize ?? DEFAULT_SAMPLE_SIZE;
  const siteRoots = options.siteUidRoots ?? [];
  const r = Object.fromEntries(
    CHECK_IDS.map((id) => [id, new CheckRecorder(id, maxFindings)]),
  ) as Record<CheckId, CheckRecorder>;

  const docs = await readPackageDocuments(source);
  const listedDocuments = new Set(docs.manifest?.documents.map((d) => d.path));
  const recipe = await resolveRecipe(docs, options.recipe, r['recipe-matches']);
  const profile = recipe.profile;
  if (profile === undefined) {
    const why =
      recipe.recipe === undefined
        ? 'No recipe: neither given nor in the package, so what should be kept is unknown.'
        : "The recipe's profile cannot be built (see recipe-matches).";
    r['elements-allowed'].notAvailable(why);
    r['private-elements-safe'].notAvailable(why);
  }
  if (recipe.recipe === undefined) {
    r['one-pseudonym-per-study'].remark(
      'No recipe: the pseudonym form is unknown, so PatientID is not checked against it; a PatientID equal to PatientName is taken for the pseudonym.',
    );
  }
  const retainUIDs = recipe.recipe?.deid.options.retainUIDs === true;
  if (retainUIDs)
    r['uids-pseudonymous'].remark(
      'The recipe keeps original UIDs (Retain UIDs): findings are warnings.',
    );

  const studies = new StudyPseudonyms(
    r['one-pseudonym-per-study'],
    recipe.recipe?.deid.pseudonymPattern,
  );
  const references = new ReferenceResolver(r['references-resolve']);
  const dump = new ValueDump();
  const judged = new JudgedValues();
  const images: ImageRecord[] = [];
  const seen = new Map<string, SeenEntry>();
  const names = new Set<string>();
  let files = 0;
  let bytes = 0;
  let dicomFiles = 0;
  let done = 0;

  /** Every per-file check of one parsed DICOM entry. */
  const inspect = (path: string, file: DicomFile, size: number): void => {
    const visits = walkFile(file);
    const sopClassUID =
      getUid(file.dataset, SOP_CLASS_UID) ?? getUid(file.meta, MEDIA_STORAGE_SOP_CLASS_UID) ?? '';
    const row = indexRow(file, path, { fileSize: size });

    if (profile !== undefined) {
      const rejected = checkElements(
        path,
        visits,
        sopClassUID,
        profile,
        r['elements-allowed'],
        r['private-elements-safe'],
      );
      judged.add(visits, file.syntax.littleEndian, rejected);
    }
    checkIdentityMarks(path, file.dataset, profile, r['identity-removed']);
    checkUids(path, visits, sopClassUID, siteRoots, retainUIDs, r['uids-pseudonymous']);
    studies.add(path, row.StudyInstanceUID, row.PatientID, row.PatientName);
    references.addFile(
      path,
      visits,
      sopClassUID,
      getUid(file.dataset, SOP_INSTANCE_UID),
      row.hasPixelData,
    );
    const pseudonym = pseudonymOf(
      recipe.recipe !== undefined,
      studies,
      row.PatientID,
      row.PatientName,
    );
    dump.add(valueOccurrences(visits, file.syntax.littleEndian), {
      tokens: [],
      ...(pseudonym !== undefined ? { pseudonym } : {}),
      example: path,
    });
    const image = imageRecord(row, path);
    if (image) images.push(image);
  };

  for await (const entry of source.entries()) {
    done++;
    if (entry.unreadable !== undefined) {
      r['every-file-parses'].add(entry.name, entry.unreadable);
      options.onProgress?.(done, docs.entryCount);
      continue;
    }
    files++;
    bytes += entry.size;
    if (names.has(entry.name)) {
      r['no-extra-files'].add(entry.name, 'Appears more than once in the package.');
      options.onProgress?.(done, docs.entryCount);
      continue;
    }
    names.add(entry.name);
    if (isPackageDocument(entry.name)) {
      options.onProgress?.(done, docs.entryCount);
      continue;
    }
    if (listedDocuments.has(entry.name) || entry.name === DICOMDIR_NAME) {
      // Checked against the manifest like a file, but not read as an instance.
      try {
        const data = await entry.read();
        seen.set(entry.name, { size: data.length, sha256: await sha256Hex(data) });
      } catch {
        seen.set(entry.name, { size: entry.size });
      }
      options.onProgress?.(done, docs.entryCount);
      continue;
    }
    let data: Uint8Array;
    try {
      data = await entry.read();
    } catch (error) {
      seen.set(entry.name, { size: entry.size });
      const why =
        error instanceof Error && error.name === 'ZipReadError'
          ? error.message
          : 'it could not be read.';
      r['every-file-parses'].checked++;
      r['every-file-parses'].add(entry.name, `Cannot be read from the package: ${why}`);
      options.onProgress?.(done, docs.entryCount);
      continue;
    }
    seen.set(entry.name, { size: data.length, sha256: await sha256Hex(data) });
    r['every-file-parses'].checked++;
    let file;
    try {
      file = await readDicomFile(data);
    } catch (error) {
      const why =
        error instanceof DicomReadError
          ? error.message
          : 'it is not a DICOM file this reader understands.';
      r['every-file-parses'].add(entry.name, `Not readable as DICOM: ${why}`);
      options.onProgress?.(done, docs.entryCount);
      continue;
    }
    dicomFiles++;
    try {
      inspect(entry.name, file, data.length);
    } catch (error) {
      // A bug or a value no check foresaw must not stop the run: the file is reported instead.
      const name = error instanceof Error ? error.name : 'error';
      r['every-file-parses'].add(entry.name, `Read as DICOM, but could not be checked (${name}).`);
    }
    options.onProgress?.(done, docs.entryCount);
  }

  checkManifest(docs, seen, r);
  references.finish();
  const rows = dump.rows();
  checkHighRiskValues(rows, r['high-risk-values'], judged);
  const rest = images.filter((i) => i.ocrReasons.length === 0).length;
  const ocr = planOcr(
    images,
    seed,
    ocrSampleSize(
      rest,
      options.ocrSampleFraction ?? DEFAULT_OCR_SAMPLE_FRACTION,
      options.ocrSampleMinimum ?? DEFAULT_OCR_SAMPLE_MINIMUM,
    ),
    docs.manifest?.redactions,
  );
  r['pixels-ocr'].checked = ocr.length;

  // OCR is a step of its own (runOcrCheck or skipOcrCheck): until it runs the check says so.
  const checks = CHECK_IDS.map((id) =>
    id === 'pixels-ocr' ? ocrNotRunYet(ocr.length) : r[id].result(),
  );
  return {
    verdict: verdictOf(checks),
    checks,
    files,
    bytes,
    dicomFiles,
    dump: options.dumpLimit === undefined ? rows : rows.slice(0, options.dumpLimit),
    dumpTotal: rows.length,
    sample: drawVisualSample(images, seed, sampleSize),
    sampleSeed: seed,
    ocr: { state: 'not run yet', entries: ocr },
    ...(recipe.recipeSha256 !== undefined ? { recipeSha256: recipe.recipeSha256 } : {}),
    ...(recipe.packageRecipeSha256 !== undefined
      ? { packageRecipeSha256: recipe.packageRecipeSha256 }
      : {}),
  };
}
