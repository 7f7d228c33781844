// The report as one printable, self-contained HTML page: inline CSS, no script, no outside resource.
import type { CheckResult, CheckStatus, VerifyReport } from './types';

/** Dump rows shown in the page (high and medium risk first); the JSON report has them all. */
const MAX_DUMP_ROWS = 300;

const CSS = `
  :root { color-scheme: light; }
  body { font: 14px/1.45 system-ui, sans-serif; color: #111; margin: 2rem auto; max-width: 70rem; padding: 0 1rem; }
  h1 { font-size: 1.6rem; margin: 0 0 .5rem; }
  h2 { font-size: 1.2rem; margin: 2rem 0 .5rem; border-bottom: 1px solid #bbb; padding-bottom: .2rem; }
  h3 { font-size: 1rem; margin: 1.2rem 0 .4rem; }
  table { border-collapse: collapse; width: 100%; margin: .4rem 0 1rem; }
  th, td { border: 1px solid #ccc; padding: .25rem .45rem; text-align: left; vertical-align: top; }
  th { background: #f1f1f1; }
  td.num { text-align: right; font-variant-numeric: tabular-nums; }
  code, .path { font-family: ui-monospace, monospace; font-size: .9em; word-break: break-all; }
  .verdict { display: inline-block; padding: .4rem 1rem; font-size: 1.3rem; font-weight: 700; border: 3px solid; }
  .verdict.pass { color: #0a5c1a; border-color: #0a5c1a; }
  .verdict.fail { color: #a00; border-color: #a00; }
  .status { font-weight: 700; white-space: nowrap; }
  .status.pass { color: #0a5c1a; }
  .status.fail { color: #a00; }
  .status.not-available, .status.not-run { color: #6b4e00; }
  .sev-fail { color: #a00; font-weight: 700; }
  .sev-warn { color: #6b4e00; }
  .muted { color: #555; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; }
  dt { font-weight: 600; }
  dd { margin: 0; }
  @media print {
    body { margin: 0; max-width: none; font-size: 11px; }
    h2 { break-after: avoid; }
    tr { break-inside: avoid; }
  }
`;

function esc(text: string | number): string {
  return String(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const STATUS_WORDS: Record<CheckStatus, string> = {
  pass: 'PASS',
  fail: 'FAIL',
  'not-available': 'NOT AVAILABLE',
  'not-run': 'NOT RUN',
};

const OCR_STATE_WORDS: Record<VerifyReport['ocr']['state'], string> = {
  'not run yet': 'not run yet',
  done: 'done',
  off: 'turned off',
};

function formatBytes(n: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${n} bytes` : `${value.toFixed(1)} ${units[unit]} (${n} bytes)`;
}

function checksTable(checks: readonly CheckResult[]): string {
  const rows = checks
    .map(
      (c) => `<tr>
  <td class="status ${c.status}">${STATUS_WORDS[c.status]}</td>
  <td>${esc(c.title)}<br><code class="muted">${esc(c.id)}</code></td>
  <td class="num">${c.counts.checked}</td>
  <td class="num">${c.counts.failed}</td>
  <td class="num">${c.counts.warnings}</td>
  <td>${c.note !== undefined ? esc(c.note) : ''}</td>
</tr>`,
    )
    .join('\n');
  return `<table>
<thead><tr><th>Status</th><th>Check</th><th>Checked</th><th>Failures</th><th>Warnings</th><th>Note</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>`;
}

function findingsSection(checks: readonly CheckResult[]): string {
  const withFindings = checks.filter((c) => c.findings.length > 0);
  if (withFindings.length === 0) return '<p>No findings.</p>';
  return withFindings
    .map((c) => {
      const rows = c.findings
        .map(
          (f) => `<tr>
  <td class="sev-${f.severity}">${f.severity === 'fail' ? 'failure' : 'warning'}</td>
  <td class="path">${esc(f.path)}</td>
  <td>${esc(f.message)}</td>
</tr>`,
        )
        .join('\n');
      const omitted =
        c.omittedFindings > 0
          ? `<p class="muted">${c.omittedFindings} more finding${c.omittedFindings === 1 ? ' is' : 's are'} counted above but not listed.</p>`
          : '';
      return `<h3>${esc(c.title)} <code class="muted">${esc(c.id)}</code></h3>
<table>
<thead><tr><th>Severity</th><th>Entry</th><th>What was found</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
${omitted}`;
    })
    .join('\n');
}

function pathList(paths: readonly string[], empty: string): string {
  if (paths.length === 0) return `<p>${esc(empty)}</p>`;
  return `<ol>\n${paths.map((p) => `<li class="path">${esc(p)}</li>`).join('\n')}\n</ol>`;
}

function sampleSection(report: VerifyReport): string {
  const review = report.sampleReview;
  if (review === undefined || report.sample.length === 0)
    return `${pathList(report.sample, 'No image in the package.')}${report.sample.length > 0 ? '\n<p class="muted">Nobody recorded a decision on these images yet.</p>' : ''}`;
  const byPath = new Map(review.map((d) => [d.path, d]));
  const rows = report.sample
    .map((path) => {
      const d = byPath.get(path);
      const decision = d ? (d.decision === 'pass' ? 'pass' : 'FAIL') : 'not looked at';
      return `<tr><td class="path">${esc(path)}</td><td>${esc(decision)}</td><td>${esc(d?.note ?? '')}</td></tr>`;
    })
    .join('\n');
  return `<table>
<thead><tr><th>Image</th><th>Decision</th><th>Note</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>`;
}

function ocrSection(report: VerifyReport): string {
  if (report.ocr.entries.length === 0) return '<p>No image to read.</p>';
  const rows = report.ocr.entries
    .map(
      (o) =>
        `<tr><td class="path">${esc(o.path)}</td><td>${o.reasons.map(esc).join('<br>')}</td><td>${esc(o.state)}${o.framesRead !== undefined ? ` (${o.framesRead} of ${o.frames ?? 0} frames)` : ''}</td></tr>`,
    )
    .join('\n');
  return `<table>
<thead><tr><th>Entry</th><th>Why it is read</th><th>OCR</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>`;
}

function dumpSection(report: VerifyReport): string {
  const shown = report.dump.filter((d) => d.risk !== 'low').slice(0, MAX_DUMP_ROWS);
  const rows = shown
    .map(
      (d) => `<tr>
  <td>${esc(d.risk)}</td>
  <td class="path">${esc(d.path)}</td>
  <td>${esc(d.vr)}</td>
  <td><code>${esc(d.value)}</code></td>
  <td class="num">${d.count}</td>
  <td>${esc(d.reason)}</td>
</tr>`,
    )
    .join('\n');
  const intro = `<p class="muted">${report.dumpTotal} distinct value${report.dumpTotal === 1 ? '' : 's'} in the package; the ${shown.length} high- and medium-risk one${shown.length === 1 ? '' : 's'} shown here first (the JSON report lists ${report.dump.length}).</p>`;
  if (shown.length === 0) return `${intro}\n<p>No high- or medium-risk value.</p>`;
  return `${intro}
<table>
<thead><tr><th>Risk</th><th>Element</th><th>VR</th><th>Value</th><th>Count</th><th>Why</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>`;
}

/** A printable page: verdict, summary, every check with counts, each finding with its entry path, sample, OCR queue, values. */
export function reportHtml(report: VerifyReport): string {
  const verdict = report.verdict === 'pass' ? 'PASS' : 'FAIL';
  const summary = [
    ['Files in the package', `${report.files} (${report.dicomFiles} DICOM)`],
    ['Size', formatBytes(report.bytes)],
    ['Recipe checked against (SHA-256)', report.recipeSha256 ?? 'none'],
    ['Recipe the package records (SHA-256)', report.packageRecipeSha256 ?? 'none'],
    ['Sample seed', String(report.sampleSeed)],
  ]
    .map(([k, v]) => `<dt>${esc(k)}</dt><dd><code>${esc(v)}</code></dd>`)
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Package verification: ${verdict}</title>
<style>${CSS}</style>
</head>
<body>
<h1>Package verification report</h1>
<p><span class="verdict ${report.verdict}">${verdict}</span></p>
<p class="muted">The verdict fails when any check fails. Warnings and checks that were not available or not run do not fail it; read them before accepting the package.</p>
<dl>
${summary}
</dl>
<h2>Checks</h2>
${checksTable(report.checks)}
<h2>Findings</h2>
${findingsSection(report.checks)}
<h2>Visual sample</h2>
<p class="muted">Images for a person to look at, secondary captures, dose sheets and ultrasound first (seed ${report.sampleSeed}).</p>
${sampleSection(report)}
<h2>OCR of pixel data (${esc(OCR_STATE_WORDS[report.ocr.state])})</h2>
<p class="muted">Every high-risk image and a random sample of the rest. Findings are under the OCR check above; they name the box, never the text read.</p>
${ocrSection(report)}
<h2>Values left in the metadata</h2>
${dumpSection(report)}
</body>
</html>
`;
}
