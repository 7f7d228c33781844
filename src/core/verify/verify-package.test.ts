// Tests of verifyPackage: a clean package built in code passes every check; each altered copy fails exactly one.
import { describe, expect, it } from 'vitest';
import { tagForKeyword } from '../dicom/dictionary';
import { bytesElement, sequenceElement, textElement, uint16Element } from '../dicom/element';
import type { DataElement, Dataset, Tag, VR } from '../dicom/types';
import { writeDicomFile } from '../dicom/write';
import {
  buildManifest,
  formatManifestCsv,
  formatManifestJson,
  type ManifestFile,
} from '../package/manifest';
import { sha256Hex } from '../package/sha256';
import { zipEntries } from '../package/zip';
import { compileProfile } from '../profile/compile-profile';
import { defaultRecipe, recipeHash, type Recipe } from '../profile/recipe';
import { reportHtml } from './report-html';
import { reportJson } from './report-json';
import { blobSource, zipSource } from './source';
import type { CheckId, VerifyOptions, VerifyReport } from './types';
import { replaceCheck } from './verdict';
import { verifyPackage } from './verify-package';

// ---- fixtures: a small de-identified-looking package, built in code ---------------------------

const CT = '1.2.840.10008.5.1.4.1.1.2';
const SC = '1.2.840.10008.5.1.4.1.1.7';
const US = '1.2.840.10008.5.1.4.1.1.6.1';
const EXPLICIT_LE = '1.2.840.10008.1.2.1';
const uid = (n: number): string => `2.25.${1000000000000 + n}`;

function tag(keyword: string): Tag {
  const t = tagForKeyword(keyword);
  if (t === undefined) throw new Error(`unknown keyword ${keyword}`);
  return t;
}
const text = (keyword: string, vr: VR, value: string): DataElement =>
  textElement(tag(keyword), vr, value);
const ds = (...elements: DataElement[]): Dataset => new Map(elements.map((e) => [e.tag >>> 0, e]));
const seq = (keyword: string, ...items: Dataset[]): DataElement =>
  sequenceElement(tag(keyword), items);

function recipeFor(): Recipe {
  const recipe = defaultRecipe();
  recipe.name = 'Verify test';
  recipe.deid.options.retainSafePrivate = true;
  return recipe;
}
const RECIPE = recipeFor();
const PROFILE = compileProfile(RECIPE.deid.options, RECIPE.deid.allowList);

function marks(): DataElement[] {
  return [
    text('PatientIdentityRemoved', 'CS', 'YES'),
    text('DeidentificationMethod', 'LO', 'PS3.15 E.1-1 Basic Profile\\Cleanroom allow-list'),
    seq(
      'DeidentificationMethodCodeSequence',
      ...PROFILE.methodCodes.map((c) =>
        ds(
          text('CodeValue', 'SH', c.value),
          text('CodingSchemeDesignator', 'SH', c.scheme),
          text('CodeMeaning', 'LO', c.meaning),
        ),
      ),
    ),
    text('LongitudinalTemporalInformationModified', 'CS', 'MODIFIED'),
  ];
}

interface Instance {
  path: string;
  sopClass: string;
  modality: string;
  sop: string;
  study: string;
  series: string;
  pseudonym: string;
  extra?: DataElement[];
}

function image(i: Instance): Dataset {
  return ds(
    text('SpecificCharacterSet', 'CS', 'ISO_IR 192'),
    text(
      'ImageType',
      'CS',
      i.modality === 'OT' ? 'DERIVED\\SECONDARY' : 'ORIGINAL\\PRIMARY\\AXIAL',
    ),
    text('SOPClassUID', 'UI', i.sopClass),
    text('SOPInstanceUID', 'UI', i.sop),
    text('StudyDate', 'DA', '20190312'),
    text('AccessionNumber', 'SH', ''),
    text('Modality', 'CS', i.modality),
    text('ReferringPhysicianName', 'PN', ''),
    text('StudyDescription', 'LO', 'CT CHEST'),
    text('PatientName', 'PN', i.pseudonym),
    text('PatientID', 'LO', i.pseudonym),
    text('PatientBirthDate', 'DA', ''),
    text('PatientSex', 'CS', 'F'),
    text('StudyInstanceUID', 'UI', i.study),
    text('SeriesInstanceUID', 'UI', i.series),
    text('SeriesNumber', 'IS', '1'),
    text('InstanceNumber', 'IS', '1'),
    ...(i.modality === 'CT' ? [text('FrameOfReferenceUID', 'UI', uid(900))] : []),
    uint16Element(tag('SamplesPerPixel'), 1),
    text('PhotometricInterpretation', 'CS', 'MONOCHROME2'),
    uint16Element(tag('Rows'), 2),
    uint16Element(tag('Columns'), 2),
    uint16Element(tag('BitsAllocated'), 16),
    uint16Element(tag('BitsStored'), 12),
    uint16Element(tag('HighBit'), 11),
    uint16Element(tag('PixelRepresentation'), 0),
    bytesElement(tag('PixelData'), 'OW', Uint8Array.of(1, 0, 2, 0, 3, 0, 4, 0)),
    ...marks(),
    ...(i.extra ?? []),
  );
}

/** GE's table speed, on the built-in safe-private list (Retain Safe Private is on in RECIPE). */
function safePrivate(): DataElement[] {
  return [textElement(0x00190010, 'LO', 'GEMS_ACQU_01'), textElement(0x00191023, 'DS', '39.375')];
}

const STUDY_1 = uid(1);
const STUDY_2 = uid(2);
const CT1: Instance = {
  path: 'SITE-000001/01/0001_CT/00001.dcm',
  sopClass: CT,
  modality: 'CT',
  sop: uid(11),
  study: STUDY_1,
  series: uid(101),
  pseudonym: 'SITE-000001',
  extra: safePrivate(),
};
const CT2: Instance = { ...CT1, path: 'SITE-000001/01/0001_CT/00002.dcm', sop: uid(12), extra: [] };
const SC1: Instance = {
  path: 'SITE-000001/01/0002_OT/00001.dcm',
  sopClass: SC,
  modality: 'OT',
  sop: uid(13),
  study: STUDY_1,
  series: uid(102),
  pseudonym: 'SITE-000001',
  extra: [
    seq(
      'ReferencedSeriesSequence',
      ds(
        text('SeriesInstanceUID', 'UI', uid(101)),
        seq(
          'ReferencedInstanceSequence',
          ds(
            text('ReferencedSOPClassUID', 'UI', CT),
            text('ReferencedSOPInstanceUID', 'UI', uid(11)),
          ),
        ),
      ),
    ),
  ],
};
const US1: Instance = {
  path: 'SITE-000002/01/0001_US/00001.dcm',
  sopClass: US,
  modality: 'US',
  sop: uid(21),
  study: STUDY_2,
  series: uid(201),
  pseudonym: 'SITE-000002',
};
const INSTANCES = [CT1, CT2, SC1, US1];

interface Entry {
  name: string;
  data: Uint8Array;
}

interface PackageChanges {
  /** Change an instance's dataset before it is written (the manifest then lists the changed file). */
  dataset?: (i: Instance, d: Dataset) => void;
  /** Extra file meta elements for an instance. */
  meta?: (i: Instance) => Dataset | undefined;
  /** Change entry bytes after the manifest was built. */
  after?: (entries: Entry[]) => Entry[];
  /** Leave files out of the package and the manifest. */
  drop?: string[];
  manifest?: boolean;
  recipeJson?: boolean;
}

const encoder = new TextEncoder();

async function buildEntries(changes: PackageChanges = {}): Promise<Entry[]> {
  const entries: Entry[] = [];
  const files: ManifestFile[] = [];
  for (const i of INSTANCES) {
    if (changes.drop?.includes(i.path)) continue;
    const dataset = image(i);
    changes.dataset?.(i, dataset);
    const meta = changes.meta?.(i);
    const data = writeDicomFile({
      ...(meta ? { meta } : {}),
      dataset,
      transferSyntaxUID: EXPLICIT_LE,
    });
    entries.push({ name: i.path, data });
    files.push({
      path: i.path,
      size: data.length,
      sha256: await sha256Hex(data),
      SOPClassUID: i.sopClass,
      Modality: i.modality,
      patient: i.pseudonym,
      study: i.study,
      series: i.series,
    });
  }
  const manifest = await buildManifest({
    appVersion: 'test',
    createdAt: '1980-01-01T00:00:00Z',
    recipe: RECIPE,
    recipeSha256: await recipeHash(RECIPE),
    options: PROFILE.methodCodes.map((c) => ({ code: c.value })),
    files,
  });
  if (changes.manifest !== false) {
    entries.push({ name: 'manifest.json', data: encoder.encode(formatManifestJson(manifest)) });
    entries.push({ name: 'manifest.csv', data: encoder.encode(formatManifestCsv(manifest)) });
  }
  if (changes.recipeJson !== false) {
    entries.push({
      name: 'recipe.json',
      data: encoder.encode(`${JSON.stringify(RECIPE, null, 2)}\n`),
    });
  }
  entries.push({ name: 'values.csv', data: encoder.encode('path,vr,value,count,risk,reason\r\n') });
  return changes.after ? changes.after(entries) : entries;
}

async function zipBlob(entries: Entry[]): Promise<Blob> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of zipEntries(entries)) chunks.push(chunk);
  return new Blob(chunks as BlobPart[]);
}

async function verifyZip(
  changes: PackageChanges = {},
  options: VerifyOptions = {},
): Promise<VerifyReport> {
  return verifyPackage(zipSource([await zipBlob(await buildEntries(changes))]), options);
}

function status(report: VerifyReport): Record<CheckId, string> {
  return Object.fromEntries(report.checks.map((c) => [c.id, c.status])) as Record<CheckId, string>;
}

function failing(report: VerifyReport): CheckId[] {
  return report.checks.filter((c) => c.status === 'fail').map((c) => c.id);
}

function findingsOf(report: VerifyReport, id: CheckId) {
  return report.checks.find((c) => c.id === id)!.findings;
}

/** The statuses of a clean package: everything passes, OCR is not run yet. */
function cleanStatuses(): Record<CheckId, string> {
  return {
    'manifest-present': 'pass',
    'checksums-match': 'pass',
    'no-missing-files': 'pass',
    'no-extra-files': 'pass',
    'recipe-matches': 'pass',
    'every-file-parses': 'pass',
    'elements-allowed': 'pass',
    'private-elements-safe': 'pass',
    'identity-removed': 'pass',
    'uids-pseudonymous': 'pass',
    'one-pseudonym-per-study': 'pass',
    'references-resolve': 'pass',
    'high-risk-values': 'pass',
    'pixels-ocr': 'not-run',
  };
}

/** Asserts that exactly `id` fails, with exactly one finding, at `path`; returns its message. */
function expectOnlyFailure(report: VerifyReport, id: CheckId, path: string): string {
  expect(failing(report)).toEqual([id]);
  expect(report.verdict).toBe('fail');
  const findings = findingsOf(report, id);
  expect(findings).toHaveLength(1);
  expect(findings[0].path).toBe(path);
  expect(findings[0].severity).toBe('fail');
  return findings[0].message;
}

// ---- the clean package -------------------------------------------------------------------------

describe('verifyPackage: a clean package', () => {
  it('passes every check, with nothing to report', async () => {
    const report = await verifyZip();
    expect(status(report)).toEqual(cleanStatuses());
    expect(report.verdict).toBe('pass');
    for (const c of report.checks) expect(c.findings).toEqual([]);
    expect(report.files).toBe(8);
    expect(report.dicomFiles).toBe(4);
    expect(report.recipeSha256).toBe(await recipeHash(RECIPE));
    expect(report.packageRecipeSha256).toBe(report.recipeSha256);
  });

  it('counts what each check looked at', async () => {
    const report = await verifyZip();
    const counts = Object.fromEntries(report.checks.map((c) => [c.id, c.counts.checked]));
    expect(counts['checksums-match']).toBe(4);
    expect(counts['no-extra-files']).toBe(4);
    expect(counts['every-file-parses']).toBe(4);
    expect(counts['identity-removed']).toBe(4);
    expect(counts['one-pseudonym-per-study']).toBe(2);
    expect(counts['references-resolve']).toBe(1);
    expect(counts['private-elements-safe']).toBe(2);
  });

  it("dumps the values with the app's path names, the private ones with their creator", async () => {
    const report = await verifyZip();
    const paths = new Set(report.dump.map((d) => d.path));
    expect(paths).toContain('DeidentificationMethodCodeSequence > CodeValue');
    expect(paths).toContain('(0019,1023) "GEMS_ACQU_01"');
    expect(paths).toContain('(0019,0010) "GEMS_ACQU_01"');
    expect(paths).toContain(
      'ReferencedSeriesSequence > ReferencedInstanceSequence > ReferencedSOPInstanceUID',
    );
    expect(paths).toContain('MediaStorageSOPInstanceUID');
    const pseudonym = report.dump.find(
      (d) => d.path === 'PatientName' && d.value === 'SITE-000001',
    )!;
    expect(pseudonym.risk).toBe('low');
    expect(pseudonym.count).toBe(3);
    expect(report.dumpTotal).toBe(report.dump.length);
  });

  it('reports progress for every entry', async () => {
    const calls: [number, number][] = [];
    await verifyZip({}, { onProgress: (done, total) => calls.push([done, total]) });
    expect(calls).toHaveLength(8);
    expect(calls.at(-1)).toEqual([8, 8]);
  });

  it('gives the same report for several zip volumes and for loose files', async () => {
    const entries = await buildEntries();
    const one = await verifyPackage(zipSource([await zipBlob(entries)]));
    const two = await verifyPackage(
      zipSource([await zipBlob(entries.slice(0, 3)), await zipBlob(entries.slice(3))]),
    );
    const loose = await verifyPackage(
      blobSource(entries.map((e) => ({ name: e.name, blob: new Blob([e.data as BlobPart]) }))),
    );
    expect(reportJson(two)).toBe(reportJson(one));
    expect(reportJson(loose)).toBe(reportJson(one));
  });
});

// ---- altered copies: each reported exactly ---------------------------------------------------

describe('verifyPackage: altered copies', () => {
  it('private-elements-safe: a private element holding a name fails at its file', async () => {
    const report = await verifyZip({
      dataset: (i, d) => {
        if (i !== CT2) return;
        d.set(0x00090010, textElement(0x00090010, 'LO', 'ACME'));
        d.set(0x00091010, textElement(0x00091010, 'LO', 'Doe^Jane'));
      },
    });
    // One element, one finding: the value is a name too, but the element check already quotes it.
    const message = expectOnlyFailure(report, 'private-elements-safe', CT2.path);
    expect(message).toContain('(0009,1010) "ACME"');
    expect(message).toContain('"Doe^Jane"');
    expect(message).toContain('not on the safe-private list');
    const values = report.checks.find((c) => c.id === 'high-risk-values')!;
    expect(values.findings).toEqual([]);
    expect(values.note).toContain('reported under private-elements-safe instead');
    // The value is still in the dump, ranked high, for a person to see.
    const row = report.dump.find((d) => d.path === '(0009,1010) "ACME"')!;
    expect(row).toMatchObject({ value: 'Doe^Jane', risk: 'high' });
  });

  it('high-risk-values: without a recipe to judge private elements, a name in one is reported by the value check', async () => {
    const bare = await verifyZip({
      manifest: false,
      recipeJson: false,
      dataset: (i, d) => {
        if (i !== CT2) return;
        d.set(0x00090010, textElement(0x00090010, 'LO', 'ACME'));
        d.set(0x00091010, textElement(0x00091010, 'LO', 'Doe^Jane'));
      },
    });
    expect(status(bare)['private-elements-safe']).toBe('not-available');
    const message = expectOnlyFailure(bare, 'high-risk-values', CT2.path);
    expect(message).toContain('(0009,1010) "ACME" [LO] "Doe^Jane"');
    expect(message).toContain('Family^Given');
  });

  it('private-elements-safe: with Retain Safe Private off no private element may stay', async () => {
    const organizer = recipeFor();
    organizer.deid.options.retainSafePrivate = false;
    const report = await verifyZip({}, { recipe: organizer });
    expect(failing(report)).toEqual(['recipe-matches', 'private-elements-safe']);
    const privates = findingsOf(report, 'private-elements-safe');
    expect(privates.map((f) => f.path)).toEqual([CT1.path]);
    expect(privates[0].message).toContain('Retain Safe Private is off');
    expect(findingsOf(report, 'recipe-matches')[0].message).toContain('different recipe');
  });

  it('private-elements-safe: a private creator with nothing kept in its block fails', async () => {
    const report = await verifyZip({
      dataset: (i, d) => {
        if (i === US1) d.set(0x00110010, textElement(0x00110010, 'LO', 'EMPTY BLOCK'));
      },
    });
    const message = expectOnlyFailure(report, 'private-elements-safe', US1.path);
    expect(message).toContain('(0011,0010) "EMPTY BLOCK": a private creator');
  });

  it('lists at most maxFindingsPerCheck findings, and counts them all', async () => {
    const report = await verifyZip(
      { dataset: (_i, d) => d.set(tag('MilitaryRank'), text('MilitaryRank', 'LO', 'Captain')) },
      { maxFindingsPerCheck: 1, dumpLimit: 5 },
    );
    const check = report.checks.find((c) => c.id === 'elements-allowed')!;
    expect(check.findings).toHaveLength(1);
    expect(check.counts.failed).toBe(4);
    expect(check.omittedFindings).toBe(3);
    expect(report.dump).toHaveLength(5);
    expect(report.dumpTotal).toBeGreaterThan(5);
  });

  it('checksums-match: a changed byte fails at that file', async () => {
    const report = await verifyZip({
      after: (entries) =>
        entries.map((e) => {
          if (e.name !== CT2.path) return e;
          const data = e.data.slice();
          data[data.length - 1] ^= 0xff; // the last pixel byte: still DICOM, values unchanged
          return { name: e.name, data };
        }),
    });
    const message = expectOnlyFailure(report, 'checksums-match', CT2.path);
    expect(message).toContain('changed after packaging');
  });

  it('no-missing-files: a removed file fails at its path', async () => {
    const report = await verifyZip({
      after: (entries) => entries.filter((e) => e.name !== CT2.path),
    });
    const message = expectOnlyFailure(report, 'no-missing-files', CT2.path);
    expect(message).toContain('not in the package');
  });

  it('no-extra-files: a file outside the manifest fails at its path', async () => {
    const extra = 'SITE-000001/01/0001_CT/00003.dcm';
    const report = await verifyZip({
      after: (entries) => [
        ...entries,
        { name: extra, data: entries.find((e) => e.name === CT2.path)!.data },
      ],
    });
    expectOnlyFailure(report, 'no-extra-files', extra);
  });

  it('uids-pseudonymous: a non-2.25 UID fails, and passes under a declared site root', async () => {
    const original = '1.2.826.0.1.3680043.8.498.77';
    const changes: PackageChanges = {
      dataset: (i, d) => {
        if (i === US1) d.set(tag('SeriesInstanceUID'), text('SeriesInstanceUID', 'UI', original));
      },
    };
    const report = await verifyZip(changes);
    const message = expectOnlyFailure(report, 'uids-pseudonymous', US1.path);
    expect(message).toContain(`SeriesInstanceUID is ${original}`);
    const withRoot = await verifyZip(changes, { siteUidRoots: ['1.2.826.0.1.3680043.8.498'] });
    expect(status(withRoot)).toEqual(cleanStatuses());
  });

  it('uids-pseudonymous: a nested Referenced…UID and the meta MediaStorageSOPInstanceUID are checked', async () => {
    const report = await verifyZip({
      dataset: (i, d) => {
        if (i !== SC1) return;
        d.set(
          tag('ReferencedSeriesSequence'),
          seq(
            'ReferencedSeriesSequence',
            ds(
              text('SeriesInstanceUID', 'UI', uid(101)),
              seq(
                'ReferencedInstanceSequence',
                ds(
                  text('ReferencedSOPClassUID', 'UI', CT),
                  text('ReferencedSOPInstanceUID', 'UI', '1.3.6.1.4.1.5962.99'),
                ),
              ),
            ),
          ),
        );
      },
    });
    expect(failing(report)).toEqual(['uids-pseudonymous']);
    const [finding] = findingsOf(report, 'uids-pseudonymous');
    expect(finding.path).toBe(SC1.path);
    expect(finding.message).toContain(
      'ReferencedSeriesSequence > ReferencedInstanceSequence > ReferencedSOPInstanceUID',
    );
    // The unresolved reference is a warning of its own check, not a failure.
    const refs = report.checks.find((c) => c.id === 'references-resolve')!;
    expect(refs.status).toBe('pass');
    expect(refs.counts.warnings).toBe(1);
  });

  it('high-risk-values: a PatientName that is a real-looking name fails at its file', async () => {
    const report = await verifyZip({
      dataset: (i, d) => {
        if (i === US1) d.set(tag('PatientName'), text('PatientName', 'PN', 'Smith^John'));
      },
    });
    const message = expectOnlyFailure(report, 'high-risk-values', US1.path);
    expect(message).toContain('PatientName [PN] "Smith^John"');
  });

  it('high-risk-values: a PN with a value that is not the pseudonym fails even without a pattern', async () => {
    const report = await verifyZip({
      dataset: (i, d) => {
        if (i === US1) d.set(tag('PatientName'), text('PatientName', 'PN', 'JOHN SMITH'));
      },
    });
    const message = expectOnlyFailure(report, 'high-risk-values', US1.path);
    expect(message).toContain('a person name element with a value');
  });

  it('high-risk-values: an identifier-like value in free text only warns', async () => {
    const report = await verifyZip({
      dataset: (i, d) => {
        if (i === CT1)
          d.set(tag('StudyDescription'), text('StudyDescription', 'LO', 'CT CHEST AB12345'));
      },
    });
    expect(failing(report)).toEqual([]);
    const check = report.checks.find((c) => c.id === 'high-risk-values')!;
    expect(check.counts.warnings).toBeGreaterThanOrEqual(1);
    expect(check.findings.every((f) => f.severity === 'warn')).toBe(true);
  });

  it("elements-allowed: an element the recipe removes fails with the rule's reason", async () => {
    const report = await verifyZip({
      dataset: (i, d) => {
        if (i === CT2) d.set(tag('MilitaryRank'), text('MilitaryRank', 'LO', 'Captain'));
      },
    });
    const message = expectOnlyFailure(report, 'elements-allowed', CT2.path);
    expect(message).toContain('MilitaryRank (0010,1080)');
    expect(message).toContain('PS3.15 Table E.1-1');
  });

  it('elements-allowed: a removed sequence is reported once, not for each element inside', async () => {
    const report = await verifyZip({
      dataset: (i, d) => {
        if (i !== CT2) return;
        d.set(
          tag('ReferencedImageSequence'),
          seq(
            'ReferencedImageSequence',
            ds(
              text('ReferencedSOPClassUID', 'UI', CT),
              text('ReferencedSOPInstanceUID', 'UI', uid(11)),
            ),
          ),
        );
      },
    });
    const message = expectOnlyFailure(report, 'elements-allowed', CT2.path);
    expect(message).toContain('ReferencedImageSequence');
  });

  it('elements-allowed: a file meta element a de-identifier does not write fails', async () => {
    const report = await verifyZip({
      meta: (i) =>
        i === SC1 ? ds(text('SourceApplicationEntityTitle', 'AE', 'ST_MARYS_PACS')) : undefined,
    });
    const message = expectOnlyFailure(report, 'elements-allowed', SC1.path);
    expect(message).toContain('SourceApplicationEntityTitle (0002,0016) holding "ST_MARYS_PACS"');
  });

  it('every-file-parses: a listed entry that is not DICOM fails at its path', async () => {
    const garbage = encoder.encode('not a DICOM file at all');
    const entries = await buildEntries();
    const broken = entries.map((e) => (e.name === CT2.path ? { name: e.name, data: garbage } : e));
    // Re-list the garbage in the manifest, so only parsing fails.
    const manifestEntry = broken.find((e) => e.name === 'manifest.json')!;
    const manifest = JSON.parse(new TextDecoder().decode(manifestEntry.data)) as {
      files: ManifestFile[];
    };
    const listed = manifest.files.find((f) => f.path === CT2.path)!;
    listed.size = garbage.length;
    listed.sha256 = await sha256Hex(garbage);
    manifestEntry.data = encoder.encode(JSON.stringify(manifest));
    const bad = await verifyPackage(zipSource([await zipBlob(broken)]));
    const message = expectOnlyFailure(bad, 'every-file-parses', CT2.path);
    expect(message).toContain('Not readable as DICOM');
  });

  it('identity-removed: a file without PatientIdentityRemoved fails at its path', async () => {
    const report = await verifyZip({
      dataset: (i, d) => {
        if (i === CT2) d.delete(tag('PatientIdentityRemoved'));
      },
    });
    expect(expectOnlyFailure(report, 'identity-removed', CT2.path)).toContain(
      'PatientIdentityRemoved',
    );
  });

  it('identity-removed: a code sequence without 113100 fails', async () => {
    const report = await verifyZip({
      dataset: (i, d) => {
        if (i !== US1) return;
        const seqEl = d.get(tag('DeidentificationMethodCodeSequence'))!;
        seqEl.items = seqEl.items!.filter(
          (item) =>
            !new TextDecoder().decode(item.get(tag('CodeValue'))!.bytes).startsWith('113100'),
        );
      },
    });
    expect(expectOnlyFailure(report, 'identity-removed', US1.path)).toContain('lacks 113100');
  });

  it('one-pseudonym-per-study: a file of a study naming another patient fails at that file', async () => {
    const report = await verifyZip({
      dataset: (i, d) => {
        if (i !== CT2) return;
        d.set(tag('PatientID'), text('PatientID', 'LO', 'SITE-000003'));
        d.set(tag('PatientName'), text('PatientName', 'PN', 'SITE-000003'));
      },
    });
    const message = expectOnlyFailure(report, 'one-pseudonym-per-study', CT2.path);
    expect(message).toContain('SITE-000003');
    expect(message).toContain(CT1.path);
  });

  it("one-pseudonym-per-study: a PatientID outside the recipe's pseudonym form fails", async () => {
    const report = await verifyZip({
      dataset: (i, d) => {
        if (i !== US1) return;
        d.set(tag('PatientID'), text('PatientID', 'LO', 'MRN5550123'));
        d.set(tag('PatientName'), text('PatientName', 'PN', 'MRN5550123'));
      },
    });
    // The leftover MRN is not taken for the pseudonym: PatientName holding it fails the ranking too.
    expect(failing(report)).toEqual(['one-pseudonym-per-study', 'high-risk-values']);
    expect(findingsOf(report, 'one-pseudonym-per-study')[0].message).toContain(
      '"MRN5550123" is not in the recipe\'s pseudonym form',
    );
  });

  it('references-resolve: a referenced image left out of the package is a warning, not a failure', async () => {
    const report = await verifyZip({ drop: [CT1.path] });
    expect(report.verdict).toBe('pass');
    const check = report.checks.find((c) => c.id === 'references-resolve')!;
    expect(check.status).toBe('pass');
    expect(check.findings).toHaveLength(1);
    expect(check.findings[0]).toMatchObject({ path: SC1.path, severity: 'warn' });
    expect(check.findings[0].message).toContain(uid(11));
  });

  it('recipe-matches: a package made with another recipe than the organizer’s fails', async () => {
    const organizer = recipeFor();
    organizer.name = 'Another study';
    const report = await verifyZip({}, { recipe: organizer });
    const message = expectOnlyFailure(report, 'recipe-matches', 'recipe.json');
    expect(message).toContain('different recipe');
    expect(report.recipeSha256).toBe(await recipeHash(organizer));
    expect(report.packageRecipeSha256).toBe(await recipeHash(RECIPE));
  });

  it('recipe-matches: recipe.json that is not the recipe the manifest records fails', async () => {
    const other = recipeFor();
    other.name = 'Edited after packaging';
    const report = await verifyZip({
      after: (entries) =>
        entries.map((e) =>
          e.name === 'recipe.json'
            ? { name: e.name, data: encoder.encode(JSON.stringify(other)) }
            : e,
        ),
    });
    expect(expectOnlyFailure(report, 'recipe-matches', 'recipe.json')).toContain(
      'is not the recipe the manifest records',
    );
  });

  it('an unreadable volume is reported, and the other volumes are still checked', async () => {
    const entries = await buildEntries();
    const report = await verifyPackage(
      zipSource([await zipBlob(entries), new Blob([encoder.encode('not a zip')])]),
    );
    const message = expectOnlyFailure(report, 'every-file-parses', 'volume 2');
    expect(message).toContain('cannot be read as a zip');
    expect(report.dicomFiles).toBe(4);
  });
});

// ---- packages from other tools ----------------------------------------------------------------

describe('verifyPackage: without manifest or recipe', () => {
  it('a zip without manifest: the manifest checks are not available, the rest still run', async () => {
    const report = await verifyZip({ manifest: false });
    expect(status(report)).toEqual({
      ...cleanStatuses(),
      'manifest-present': 'not-available',
      'checksums-match': 'not-available',
      'no-missing-files': 'not-available',
      'no-extra-files': 'not-available',
    });
    expect(report.verdict).toBe('pass');
    expect(report.checks.find((c) => c.id === 'elements-allowed')!.counts.checked).toBeGreaterThan(
      50,
    );
  });

  it('a zip without manifest still fails on what the other checks find', async () => {
    const report = await verifyZip({
      manifest: false,
      dataset: (i, d) => {
        if (i === US1) d.set(tag('PatientName'), text('PatientName', 'PN', 'Smith^John'));
      },
    });
    expectOnlyFailure(report, 'high-risk-values', US1.path);
  });

  it('without manifest and recipe: element checks are not available, the others run', async () => {
    const report = await verifyZip({ manifest: false, recipeJson: false });
    const s = status(report);
    expect(s['recipe-matches']).toBe('not-available');
    expect(s['elements-allowed']).toBe('not-available');
    expect(s['private-elements-safe']).toBe('not-available');
    expect(s['identity-removed']).toBe('pass');
    expect(s['uids-pseudonymous']).toBe('pass');
    expect(s['one-pseudonym-per-study']).toBe('pass');
    expect(report.verdict).toBe('pass');
    expect(report.recipeSha256).toBeUndefined();
  });

  it('the organizer’s recipe stands in for a package that records none (a warning)', async () => {
    const report = await verifyZip({ manifest: false, recipeJson: false }, { recipe: RECIPE });
    expect(status(report)).toEqual({
      ...cleanStatuses(),
      'manifest-present': 'not-available',
      'checksums-match': 'not-available',
      'no-missing-files': 'not-available',
      'no-extra-files': 'not-available',
    });
    const recipeCheck = report.checks.find((c) => c.id === 'recipe-matches')!;
    expect(recipeCheck.findings.map((f) => f.severity)).toEqual(['warn']);
  });

  it('a manifest that is not a Cleanroom manifest fails manifest-present', async () => {
    const report = await verifyZip({
      after: (entries) =>
        entries.map((e) =>
          e.name === 'manifest.json' ? { name: e.name, data: encoder.encode('{"files": 3}') } : e,
        ),
    });
    expect(failing(report)).toEqual(['manifest-present']);
    expect(status(report)['checksums-match']).toBe('not-available');
  });
});

// ---- sample and OCR queue -----------------------------------------------------------------------

describe('verifyPackage: visual sample and OCR queue', () => {
  it('samples secondary captures and ultrasound first, the same for the same seed', async () => {
    const a = await verifyZip({}, { sampleSeed: 7, sampleSize: 3 });
    const b = await verifyZip({}, { sampleSeed: 7, sampleSize: 3 });
    expect(a.sample).toEqual(b.sample);
    expect(a.sample).toHaveLength(3);
    expect(a.sample.slice(0, 2)).toEqual([SC1.path, US1.path]);
    expect([CT1.path, CT2.path]).toContain(a.sample[2]);
    expect(a.sampleSeed).toBe(7);
  });

  it('queues every high-risk image for OCR, then a seeded random sample, all not run yet', async () => {
    const report = await verifyZip({}, { sampleSeed: 3, ocrSampleMinimum: 1 });
    const queue = report.ocr.entries;
    expect(report.ocr.state).toBe('not run yet');
    expect(queue.slice(0, 2).map((o) => o.path)).toEqual([SC1.path, US1.path]);
    expect(queue[1].reasons[0]).toContain('Modality US');
    expect(queue).toHaveLength(3);
    expect(queue[2].reasons).toEqual(['random sample (seed 3)']);
    expect(queue.every((o) => o.state === 'not run yet')).toBe(true);
    expect(queue.map((o) => o.kind)).toEqual(['high-risk', 'high-risk', 'sample']);
    const ocr = report.checks.find((c) => c.id === 'pixels-ocr')!;
    expect(ocr.status).toBe('not-run');
    expect(ocr.counts.checked).toBe(0);
    expect(ocr.note).toContain('3 images queued');
  });
});

describe('replaceCheck (the OCR hook)', () => {
  it('puts a check result in place and recomputes the verdict', async () => {
    const report = await verifyZip();
    const ocr = report.checks.find((c) => c.id === 'pixels-ocr')!;
    const failed = replaceCheck(report, {
      ...ocr,
      status: 'fail',
      counts: { checked: 3, failed: 1, warnings: 0 },
      findings: [
        {
          check: 'pixels-ocr',
          path: US1.path,
          message: 'burned-in text: a name',
          severity: 'fail',
        },
      ],
    });
    expect(failed.verdict).toBe('fail');
    expect(failed.checks.map((c) => c.id)).toEqual(report.checks.map((c) => c.id));
    expect(replaceCheck(report, { ...ocr, status: 'pass' }).verdict).toBe('pass');
  });
});

// ---- the report ---------------------------------------------------------------------------------

describe('reportJson and reportHtml', () => {
  it('reportJson is stable and keeps the key order', async () => {
    const report = await verifyZip({
      dataset: (i, d) => {
        if (i === US1) d.set(tag('PatientName'), text('PatientName', 'PN', 'Smith^John'));
      },
    });
    const text1 = reportJson(report);
    const reordered = JSON.parse(text1) as VerifyReport;
    const shuffled = Object.fromEntries(
      Object.entries(reordered).reverse(),
    ) as unknown as VerifyReport;
    expect(reportJson(shuffled)).toBe(text1);
    expect(Object.keys(JSON.parse(text1) as object).slice(0, 3)).toEqual([
      'verdict',
      'recipeSha256',
      'packageRecipeSha256',
    ]);
    expect(text1.endsWith('}\n')).toBe(true);
  });

  it('reportHtml is self-contained and lists each check, each failure with its path, the sample and the verdict', async () => {
    const report = await verifyZip({
      dataset: (i, d) => {
        if (i === US1) d.set(tag('PatientName'), text('PatientName', 'PN', 'Smith^<b>John</b>'));
      },
    });
    const html = reportHtml(report);
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/<script|<link|src=|href=|@import|url\(/i);
    expect(html).not.toMatch(/https?:/);
    expect(html).toContain('<span class="verdict fail">FAIL</span>');
    for (const c of report.checks) expect(html).toContain(c.id);
    expect(html).toContain(US1.path);
    for (const p of report.sample) expect(html).toContain(p);
    // Values are escaped, never markup.
    expect(html).toContain('Smith^&lt;b&gt;John&lt;/b&gt;');
    expect(html).not.toContain('<b>John</b>');
  });
});
