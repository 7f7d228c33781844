// A small horizontal bar chart as inline SVG text: used by the printable page and the Report screen alike.

export interface Bar {
  label: string;
  value: number;
  /** Shown after the bar instead of the value (e.g. '12 (40%)'). */
  note?: string;
}

export interface BarChartOptions {
  title: string;
  width?: number;
  /** Bars shown at most; the rest are summed into one 'other' bar. */
  maxBars?: number;
  /** Where to draw a reference line, e.g. the permutation baseline (same scale as the values). */
  reference?: { value: number; label: string };
  /** Scale maximum (default: the largest value). */
  max?: number;
}

export function escapeXml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": 'apos' }[c]};`,
  );
}

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** An accessible SVG (role img, title) of labelled horizontal bars; no script, no outside resource. */
export function barChartSvg(bars: readonly Bar[], options: BarChartOptions): string {
  const width = options.width ?? 560;
  const maxBars = options.maxBars ?? 12;
  let shown = [...bars];
  if (shown.length > maxBars) {
    const rest = shown.slice(maxBars - 1);
    shown = [
      ...shown.slice(0, maxBars - 1),
      { label: `${rest.length} others`, value: rest.reduce((s, b) => s + b.value, 0) },
    ];
  }
  const labelW = 190;
  const noteW = 130;
  const barH = 18;
  const gap = 6;
  const top = 24;
  const height = top + shown.length * (barH + gap) + 6;
  const max = Math.max(options.max ?? 0, ...shown.map((b) => b.value), 1e-9);
  const plotW = width - labelW - noteW;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" font-family="system-ui, sans-serif" font-size="12">`,
    `<title>${escapeXml(options.title)}</title>`,
    `<text x="0" y="14" font-weight="600" fill="#17324d">${escapeXml(options.title)}</text>`,
  ];
  shown.forEach((b, i) => {
    const y = top + i * (barH + gap);
    const w = Math.max(0, (b.value / max) * plotW);
    parts.push(
      `<text x="${labelW - 6}" y="${y + 13}" text-anchor="end" fill="#1c2733">${escapeXml(clip(b.label, 27))}</text>`,
      `<rect x="${labelW}" y="${y}" width="${w.toFixed(1)}" height="${barH}" fill="#1f7a8c"><title>${escapeXml(`${b.label}: ${b.note ?? b.value}`)}</title></rect>`,
      `<text x="${(labelW + w + 4).toFixed(1)}" y="${y + 13}" fill="#55626f">${escapeXml(b.note ?? String(b.value))}</text>`,
    );
  });
  if (options.reference) {
    const x = labelW + (options.reference.value / max) * plotW;
    parts.push(
      `<line x1="${x.toFixed(1)}" y1="${top - 4}" x2="${x.toFixed(1)}" y2="${height - 4}" stroke="#b42318" stroke-dasharray="4 3"/>`,
      `<text x="${(x + 3).toFixed(1)}" y="${top - 6}" fill="#b42318" font-size="10">${escapeXml(options.reference.label)}</text>`,
    );
  }
  parts.push('</svg>');
  return parts.join('');
}
