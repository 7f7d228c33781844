// Across files: one pseudonym per study (in the recipe's form), and references that resolve inside the package.
import { getUid } from '../dicom/element';
import type { Tag } from '../dicom/types';
import type { CheckRecorder } from './recorder';
import type { ElementVisit } from './walk';

const REFERENCED_SOP_CLASS_UID: Tag = 0x00081150;
const REFERENCED_SOP_INSTANCE_UID: Tag = 0x00081155;

/** '^SITE-\d{6,}$' for 'SITE-{n:6}': the literal text, then at least `width` digits. */
export function pseudonymRegExp(pattern: string): RegExp {
  const parts = pattern.split(/\{n(?::(\d+))?\}/);
  let source = '';
  for (let i = 0; i < parts.length; i++) {
    if (i % 2 === 0) source += parts[i].replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    else source += `\\d{${parts[i] === undefined ? 1 : Number(parts[i])},}`;
  }
  return new RegExp(`^${source}$`);
}

interface StudyRecord {
  patientId: string;
  patientName: string;
  firstPath: string;
}

/** 'one-pseudonym-per-study': every file of a StudyInstanceUID names the same patient. */
export class StudyPseudonyms {
  private readonly studies = new Map<string, StudyRecord>();
  private readonly form: RegExp | undefined;

  constructor(
    private readonly check: CheckRecorder,
    private readonly pseudonymPattern: string | undefined,
  ) {
    this.form = pseudonymPattern === undefined ? undefined : pseudonymRegExp(pseudonymPattern);
  }

  /** True when the PatientID is in the recipe's pseudonym form (false without a recipe). */
  isPseudonym(patientId: string | undefined): boolean {
    return this.form !== undefined && patientId !== undefined && this.form.test(patientId);
  }

  add(
    entryPath: string,
    studyUid: string | undefined,
    patientId: string | undefined,
    patientName: string | undefined,
  ): void {
    if (this.form !== undefined && !this.isPseudonym(patientId)) {
      this.check.add(
        entryPath,
        patientId === undefined || patientId === ''
          ? `PatientID is missing or empty; the recipe's pseudonyms look like "${this.pseudonymPattern}".`
          : `PatientID "${patientId}" is not in the recipe's pseudonym form "${this.pseudonymPattern}".`,
      );
    }
    if (studyUid === undefined || studyUid === '') return;
    const id = patientId ?? '';
    const name = patientName ?? '';
    const known = this.studies.get(studyUid);
    if (known === undefined) {
      this.check.checked++;
      this.studies.set(studyUid, { patientId: id, patientName: name, firstPath: entryPath });
      return;
    }
    if (known.patientId !== id || known.patientName !== name) {
      this.check.add(
        entryPath,
        `Study ${studyUid} names patient "${id}" / "${name}" here but "${known.patientId}" / "${known.patientName}" in ${known.firstPath}.`,
      );
    }
  }
}

interface Reference {
  entryPath: string;
  elementPath: string;
  sopClass: string;
  sopInstance: string;
}

/**
 * 'references-resolve': a ReferencedSOPInstanceUID whose ReferencedSOPClassUID is a class of
 * images present in the package should be in the package. Unresolved ones are warnings: a site
 * may have left a prior out on purpose.
 */
export class ReferenceResolver {
  private readonly references: Reference[] = [];
  private readonly instances = new Set<string>();
  private readonly imageClasses = new Set<string>();

  constructor(private readonly check: CheckRecorder) {}

  addFile(
    entryPath: string,
    visits: readonly ElementVisit[],
    sopClassUID: string,
    sopInstanceUID: string | undefined,
    hasPixelData: boolean,
  ): void {
    if (sopInstanceUID) this.instances.add(sopInstanceUID);
    if (hasPixelData && sopClassUID) this.imageClasses.add(sopClassUID);
    const seen = new Set<string>();
    for (const v of visits) {
      if (v.el.tag !== REFERENCED_SOP_INSTANCE_UID || v.part !== 'dataset') continue;
      const sopInstance = getUid(v.dataset, REFERENCED_SOP_INSTANCE_UID) ?? '';
      const sopClass = getUid(v.dataset, REFERENCED_SOP_CLASS_UID) ?? '';
      const key = `${sopClass}\u0000${sopInstance}`;
      if (sopInstance === '' || seen.has(key)) continue;
      seen.add(key);
      this.references.push({ entryPath, elementPath: v.path, sopClass, sopInstance });
    }
  }

  finish(): void {
    for (const r of this.references) {
      if (!this.imageClasses.has(r.sopClass)) continue;
      this.check.checked++;
      if (this.instances.has(r.sopInstance)) continue;
      this.check.add(
        r.entryPath,
        `${r.elementPath} ${r.sopInstance} refers to an image of a class the package holds, but that image is not in the package.`,
        'warn',
      );
    }
  }
}
