// Splits an inventory into batches that QA can flag one at a time with the same result as all at
// once: every flag looks inside one series, one study, or one SOPInstanceUID, so a batch holds whole
// studies, and studies that share a series or a SOPInstanceUID go together. Lets a caller yield
// between batches instead of blocking a page for the whole inventory.
import { seriesKeyOf, studyKeyOf, type InstanceRow } from './index';

/** Batches of about `size` rows (a group larger than that stays whole), in order of first appearance. */
export function qaBatches<T extends InstanceRow>(rows: readonly T[], size = 2000): T[][] {
  const parent = new Map<string, string>();
  const find = (key: string): string => {
    let root = key;
    while (parent.get(root) !== root) root = parent.get(root)!;
    // Path compression keeps later finds short.
    let k = key;
    while (k !== root) {
      const next = parent.get(k)!;
      parent.set(k, root);
      k = next;
    }
    return root;
  };
  const union = (a: string, b: string): void => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent.set(rb, ra);
  };
  const studyOfSeries = new Map<string, string>();
  const studyOfSop = new Map<string, string>();
  const studyKeys = new Array<string>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    // studyKeyOf and StudyInstanceUID group alike: QA's study flags use either.
    const study = `s:${studyKeyOf(row)}`;
    studyKeys[i] = study;
    if (!parent.has(study)) parent.set(study, study);
    const series = seriesKeyOf(row);
    const seenSeries = studyOfSeries.get(series);
    if (seenSeries === undefined) studyOfSeries.set(series, study);
    else if (seenSeries !== study) union(seenSeries, study);
    if (row.SOPInstanceUID) {
      const seenSop = studyOfSop.get(row.SOPInstanceUID);
      if (seenSop === undefined) studyOfSop.set(row.SOPInstanceUID, study);
      else if (seenSop !== study) union(seenSop, study);
    }
  }
  const groups = new Map<string, T[]>();
  for (let i = 0; i < rows.length; i++) {
    const root = find(studyKeys[i]);
    const group = groups.get(root);
    if (group) group.push(rows[i]);
    else groups.set(root, [rows[i]]);
  }
  const batches: T[][] = [];
  let current: T[] = [];
  for (const group of groups.values()) {
    if (current.length > 0 && current.length + group.length > size) {
      batches.push(current);
      current = [];
    }
    for (const row of group) current.push(row);
  }
  if (current.length > 0) batches.push(current);
  return batches;
}
