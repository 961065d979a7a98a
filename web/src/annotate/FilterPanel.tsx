// Filters and sort of the annotation queue: metadata (terms or range), suggestion agent and score,
// span label, and the sort key. Every change reloads the queue.
import type { MetadataSettingsTerms } from '../api';
import type { AnnotateSettings } from './model';
import type { MetadataFilter, QueueQuery } from './query';
import type { PaneLabel } from './textpane';

interface Props {
  settings: AnnotateSettings;
  labels: PaneLabel[];
  filters: QueueQuery;
  onChange: (next: Partial<QueueQuery>) => void;
}

function num(v: string): number | undefined {
  if (v.trim() === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

export function FilterPanel({ settings, labels, filters, onChange }: Props) {
  const meta = filters.metadata ?? [];
  const setMeta = (name: string, f: Omit<MetadataFilter, 'name'> | null) => {
    const rest = meta.filter((m) => m.name !== name);
    onChange({ metadata: f ? [...rest, { name, ...f }] : rest });
  };
  const active = meta.length + (filters.agents?.length ? 1 : 0) + (filters.scoreGe !== undefined ? 1 : 0) + (filters.labels?.length ? 1 : 0);
  return (
    <details class="an-filters" open={active > 0}>
      <summary>
        Filters and sort{active ? ` (${active})` : ''}
      </summary>
      <div class="stack">
        {settings.metadata.map((p) => {
          const cur = meta.find((m) => m.name === p.name);
          if (p.settings.type === 'terms') {
            const values = (p.settings as MetadataSettingsTerms).values;
            return (
              <label key={p.name}>
                {p.title}
                {values?.length ? (
                  <select
                    data-testid={`filter-meta-${p.name}`}
                    value={cur?.values?.[0] ?? ''}
                    onChange={(e) => {
                      const v = (e.target as HTMLSelectElement).value;
                      setMeta(p.name, v ? { values: [v] } : null);
                    }}
                  >
                    <option value="">any</option>
                    {values.map((v) => (
                      <option key={v} value={v}>
                        {v}
                      </option>
                    ))}
                  </select>
                ) : (
                  <input
                    data-testid={`filter-meta-${p.name}`}
                    placeholder="any (comma separated)"
                    defaultValue={cur?.values?.join(', ') ?? ''}
                    onChange={(e) => {
                      const vs = (e.target as HTMLInputElement).value.split(',').map((s) => s.trim()).filter(Boolean);
                      setMeta(p.name, vs.length ? { values: vs } : null);
                    }}
                  />
                )}
              </label>
            );
          }
          return (
            <label key={p.name}>
              {p.title}
              <span class="row">
                <input
                  class="an-num"
                  placeholder="min"
                  defaultValue={cur?.ge?.toString() ?? ''}
                  onChange={(e) => {
                    const ge = num((e.target as HTMLInputElement).value);
                    setMeta(p.name, ge === undefined && cur?.le === undefined ? null : { ge, le: cur?.le });
                  }}
                />
                <input
                  class="an-num"
                  placeholder="max"
                  defaultValue={cur?.le?.toString() ?? ''}
                  onChange={(e) => {
                    const le = num((e.target as HTMLInputElement).value);
                    setMeta(p.name, le === undefined && cur?.ge === undefined ? null : { ge: cur?.ge, le });
                  }}
                />
              </span>
            </label>
          );
        })}
        {settings.agents.length > 0 && (
          <label>
            Suggestion agent
            <select
              data-testid="filter-agent"
              value={filters.agents?.[0] ?? ''}
              onChange={(e) => {
                const v = (e.target as HTMLSelectElement).value;
                onChange({ agents: v ? [v] : undefined });
              }}
            >
              <option value="">any</option>
              {settings.agents.map((a) => (
                <option key={a} value={a}>
                  {a}
                </option>
              ))}
            </select>
          </label>
        )}
        <label>
          Suggestion score at least
          <input
            class="an-num"
            data-testid="filter-score"
            placeholder="0 … 1"
            defaultValue={filters.scoreGe?.toString() ?? ''}
            onChange={(e) => onChange({ scoreGe: num((e.target as HTMLInputElement).value) })}
          />
        </label>
        <label>
          Has span label
          <select
            data-testid="filter-label"
            value={filters.labels?.[0] ?? ''}
            onChange={(e) => {
              const v = (e.target as HTMLSelectElement).value;
              onChange({ labels: v ? [v] : undefined });
            }}
          >
            <option value="">any</option>
            {labels.map((l) => (
              <option key={l.value} value={l.value}>
                {l.text}
              </option>
            ))}
          </select>
        </label>
        <label>
          Sort
          <select
            data-testid="sort"
            value={filters.sort ? `${filters.sort.by}|${filters.sort.order}` : ''}
            onChange={(e) => {
              const v = (e.target as HTMLSelectElement).value;
              if (!v) return onChange({ sort: undefined });
              const [by, order] = v.split('|');
              onChange({ sort: { by: by as NonNullable<QueueQuery['sort']>['by'], order: order as 'asc' | 'desc' } });
            }}
          >
            <option value="">Queue order</option>
            <option value="inserted_at|asc">Oldest first</option>
            <option value="inserted_at|desc">Newest first</option>
            <option value="updated_at|desc">Recently updated</option>
            <option value="suggestion_score|desc">Suggestion score, high first</option>
            <option value="suggestion_score|asc">Suggestion score, low first</option>
            {settings.metadata.map((p) => [
              <option key={`${p.name}a`} value={`metadata:${p.name}|asc`}>
                {p.title} ↑
              </option>,
              <option key={`${p.name}d`} value={`metadata:${p.name}|desc`}>
                {p.title} ↓
              </option>,
            ])}
          </select>
        </label>
      </div>
    </details>
  );
}
