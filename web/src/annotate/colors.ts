// Label colours: a colour from the dataset settings only when it is a plain hex colour (settings are
// untrusted and end up in a style sheet), otherwise a fixed palette by label position.

const PALETTE = [
  "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf",
  "#bcbd22", "#7f7f7f", "#393b79", "#ad494a", "#637939", "#8c6d31", "#843c39", "#7b4173",
];

const HEX = /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/;

export function safeColor(color: unknown, index: number): string {
  if (typeof color === "string" && HEX.test(color)) return expand(color.toLowerCase());
  return PALETTE[index % PALETTE.length];
}

function expand(c: string): string {
  return c.length === 4 ? `#${c[1]}${c[1]}${c[2]}${c[2]}${c[3]}${c[3]}` : c;
}

/** Black or white, whichever reads better on `hex`. */
export function inkFor(hex: string): string {
  const r = parseInt(hex.slice(1, 3), 16);
  const g = parseInt(hex.slice(3, 5), 16);
  const b = parseInt(hex.slice(5, 7), 16);
  return 0.299 * r + 0.587 * g + 0.114 * b > 150 ? "#111" : "#fff";
}

/** The colour at ~25 % opacity, for background tints. */
export function tint(hex: string): string {
  return `${hex}40`;
}
