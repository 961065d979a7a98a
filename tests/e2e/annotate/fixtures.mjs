// Records and labels for the annotation specs: patent-style text with non-BMP characters, written
// for these tests. Offsets in comments are Python code point offsets.
export const LABELS = [
  { value: 'MATERIAL', text: 'Material' },
  { value: 'PROPERTY', text: 'Property' },
  { value: 'COMPONENT', text: 'Component' },
  { value: 'PROCESS', text: 'Process' },
  { value: 'VALUE', text: 'Value' },
];

// "𝑥" is U+1D465 (outside the BMP), "🔬" an emoji, "👩‍🔬" a ZWJ sequence.
export const CLAIM = 'A gate stack 🔬 comprising a high-κ dielectric layer (HfO 2 ) with thickness 𝑥 ≤ 5 nm, tested by 👩‍🔬 at 25 °C.';

export const XSS = '<img src=x onerror="window.__xss=1">';

export function codePointIndex(text, sub) {
  const i = text.indexOf(sub);
  if (i < 0) throw new Error(`${sub} not in text`);
  return Array.from(text.slice(0, i)).length;
}

export function cpSpan(text, sub, label) {
  const start = codePointIndex(text, sub);
  return { label, start, end: start + Array.from(sub).length };
}

export function seed({ overlap = false, extra = [] } = {}) {
  return {
    name: 'claims',
    guidelines: `# Guidelines\n\nLabel **materials** such as *HfO 2* and properties such as high-κ.\n\n${XSS}\n\n[bad](javascript:alert(1))`,
    allow_overlapping: overlap,
    labels: LABELS,
    metadata: [{ id: 'm1', name: 'cpc', title: 'CPC', settings: { type: 'terms', values: ['H01L', 'G11B'] }, visible_for_annotators: true }],
    users: [
      { id: 'u1', username: 'anna', password: 'anna-secret-1', role: 'annotator' },
      { id: 'u2', username: 'bob', password: 'bob-secret-12', role: 'annotator' },
    ],
    records: [
      { text: CLAIM, metadata: { cpc: 'H01L' }, external_id: 'claim-1' },
      {
        text: 'The magnetic head has a coil of copper.\r\nThe yoke is made of NiFe.',
        metadata: { cpc: 'G11B' },
        external_id: 'claim-2',
        suggestion: { value: [cpSpan('The magnetic head has a coil of copper.', 'magnetic head', 'COMPONENT'), cpSpan('The magnetic head has a coil of copper.', 'copper', 'MATERIAL'), { label: 'MATERIAL', start: 61, end: 65 }], score: [0.91, 0.62, 0.88], agent: 'bert-claims-v1' },
      },
      { text: `An ${XSS} layer`, metadata: { cpc: XSS }, external_id: XSS },
      ...extra,
      { text: 'A substrate of silicon carbide annealed at 1200 °C.', metadata: { cpc: 'H01L' }, external_id: 'claim-4' },
      { text: 'A capacitor whose electrode is titanium nitride.', metadata: { cpc: 'H01L' }, external_id: 'claim-5' },
    ],
  };
}
