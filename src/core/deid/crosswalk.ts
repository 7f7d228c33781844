// The crosswalk key file: original ↔ new identifiers as CSV (the MIDI-B 'id_old,id_new' format).

/** Quotes a CSV field when it holds a comma, a quote or a line break (RFC 4180). */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * One row per pair, header 'id_old,id_new', CRLF line ends (RFC 4180), rows sorted by the old id
 * and deduplicated so the same map always gives the same bytes. Used for UIDs and for patients;
 * it holds PHI and belongs in the key file the user exports on purpose, never in a package.
 */
export function crosswalkCsv(rows: Iterable<readonly [string, string]>): string {
  const unique = new Map<string, string>();
  for (const [oldId, newId] of rows) unique.set(`${oldId}\u0000${newId}`, newId);
  const sorted = [...unique.keys()]
    .map((key) => key.split('\u0000') as [string, string])
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  const lines = ['id_old,id_new', ...sorted.map(([oldId, newId]) => `${csvField(oldId)},${csvField(newId)}`)];
  return lines.join('\r\n') + '\r\n';
}
