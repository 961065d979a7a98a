// Label colours: stored per dataset in `dataset.metadata["spanloop.label_colors"]` as
// {label value: "#rrggbb"}; labels without one get a stable colour from a palette by position.
import type { Dataset } from '../api';

export const kLabelColorsKey = 'spanloop.label_colors';

/** Twelve colours that stay distinguishable as highlights and underlines (Tableau-like). */
export const kPalette = [
  '#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#b07aa1', '#76b7b2',
  '#edc948', '#ff9da7', '#9c755f', '#8cd17d', '#d37295', '#499894',
];

const kHex = /^#[0-9a-fA-F]{6}$/;

export function defaultColor(index: number): string {
  return kPalette[((index % kPalette.length) + kPalette.length) % kPalette.length];
}

/** The stored colour map, keeping only well-formed entries (metadata is untrusted). */
export function storedLabelColors(dataset: Pick<Dataset, 'metadata'> | null | undefined): Record<string, string> {
  const raw = dataset?.metadata?.[kLabelColorsKey];
  const out: Record<string, string> = {};
  if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
    for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
      if (typeof v === 'string' && kHex.test(v)) out[k] = v.toLowerCase();
    }
  }
  return out;
}

/** Colour for every label in `values` order: the stored one, else the palette's. */
export function labelColors(
  dataset: Pick<Dataset, 'metadata'> | null | undefined,
  values: string[],
): Record<string, string> {
  const stored = storedLabelColors(dataset);
  const out: Record<string, string> = {};
  values.forEach((v, i) => {
    out[v] = stored[v] ?? defaultColor(i);
  });
  return out;
}

/** Black or white, whichever reads better on `hex`. */
export function textColorOn(hex: string): string {
  const m = kHex.exec(hex) ? hex : '#888888';
  const r = parseInt(m.slice(1, 3), 16);
  const g = parseInt(m.slice(3, 5), 16);
  const b = parseInt(m.slice(5, 7), 16);
  return 0.299 * r + 0.587 * g + 0.114 * b > 150 ? '#111111' : '#ffffff';
}
