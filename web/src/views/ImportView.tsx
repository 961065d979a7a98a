// Import: upload CSV/JSONL, preview the first rows, map columns to fields / metadata / external
// id, then send the file in byte-bounded batches with progress and per-row errors.
import { useState } from 'preact/hooks';
import { api, endpoints, type Dataset, type Field, type ImportMapping, type ImportRowError, type MetadataProperty } from '../api';
import { ErrorBanner, Notice, Page, ProgressBar, Spinner, describeError } from '../components/ui';
import {
  autoMapping,
  detectFormat,
  mappingProblems,
  previewText,
  splitIntoChunks,
  type ImportFormat,
  type Preview,
} from '../lib/importFile';
import { useAsync } from '../lib/useAsync';
import { href } from '../router';

interface Loaded {
  dataset: Dataset;
  fields: Field[];
  metadata: MetadataProperty[];
}

async function load(id: string): Promise<Loaded> {
  const [dataset, fields, metadata] = await Promise.all([
    endpoints.getDataset(api, id),
    endpoints.listFields(api, id),
    endpoints.listMetadataProperties(api, id),
  ]);
  return { dataset, fields: fields.items, metadata: metadata.items };
}

const kPreviewBytes = 256 * 1024;
const kMaxShownErrors = 200;

interface Progress {
  rowsDone: number;
  rowsTotal: number;
  imported: number;
  errors: ImportRowError[];
  errorCount: number;
  done: boolean;
}

// `map` with `key` set to `column`, or without `key` when no column is chosen.
function withEntry(map: Record<string, string>, key: string, column: string): Record<string, string> {
  const next = { ...map };
  if (column) next[key] = column;
  else delete next[key];
  return next;
}

// `mapping` with its optional `key` set to `column`, or without it when no column is chosen.
function withColumn(mapping: ImportMapping, key: 'external_id' | 'spans', column: string): ImportMapping {
  const next = { ...mapping };
  if (column) next[key] = column;
  else delete next[key];
  return next;
}

// A choice of one file column (or none) for a field, metadata property, id or spans.
function ColumnSelect(props: {
  label: string;
  name: string;
  columns: string[];
  value: string | undefined;
  noneLabel?: string;
  onChange: (column: string) => void;
}) {
  return (
    <label>
      {props.label}
      <select name={props.name} value={props.value ?? ''} onChange={(e) => props.onChange(e.currentTarget.value)}>
        <option value="">{props.noneLabel ?? '(none)'}</option>
        {props.columns.map((c) => (
          <option key={c} value={c}>
            {c}
          </option>
        ))}
      </select>
    </label>
  );
}

export function ImportView({ datasetId }: { datasetId: string }) {
  const state = useAsync(() => load(datasetId), [datasetId]);
  const [file, setFile] = useState<File | null>(null);
  const [format, setFormat] = useState<ImportFormat>('csv');
  const [preview, setPreview] = useState<Preview | null>(null);
  const [mapping, setMapping] = useState<ImportMapping>({ fields: {}, metadata: {} });
  const [extraMeta, setExtraMeta] = useState<Set<string>>(new Set());
  const [progress, setProgress] = useState<Progress | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  if (state.error) {
    return (
      <Page title="Import records">
        <ErrorBanner error={state.error} onRetry={state.reload} />
      </Page>
    );
  }
  if (!state.data) return <Spinner />;
  const { dataset, fields, metadata } = state.data;

  const choose = async (f: File | null, fmt?: ImportFormat) => {
    setFile(f);
    setPreview(null);
    setProgress(null);
    setError(null);
    if (!f) return;
    const chosen = fmt ?? detectFormat(f.name);
    setFormat(chosen);
    try {
      const head = await f.slice(0, kPreviewBytes).text();
      const p = previewText(head, chosen, 20, f.size > kPreviewBytes);
      setPreview(p);
      setMapping(autoMapping(p.columns, fields, metadata));
      setExtraMeta(new Set());
    } catch (e) {
      setError(e);
    }
  };

  const mapped = new Set<string>([
    ...Object.values(mapping.fields),
    ...Object.values(mapping.metadata),
    ...(typeof mapping.external_id === 'string' ? [mapping.external_id] : []),
    ...(mapping.spans ? [mapping.spans] : []),
  ]);
  const problems = preview ? mappingProblems(mapping, fields) : [];

  const run = async () => {
    if (!file || !preview || problems.length) return;
    setBusy(true);
    setError(null);
    const fullMapping: ImportMapping = {
      ...mapping,
      metadata: { ...mapping.metadata, ...Object.fromEntries([...extraMeta].map((c) => [c, c])) },
    };
    try {
      const chunks = splitIntoChunks(await file.text(), format);
      const total = chunks.reduce((s, c) => s + c.rows, 0);
      let p: Progress = { rowsDone: 0, rowsTotal: total, imported: 0, errors: [], errorCount: 0, done: false };
      setProgress(p);
      for (const chunk of chunks) {
        const blob = new Blob([chunk.text], { type: format === 'csv' ? 'text/csv' : 'application/x-ndjson' });
        // Batches are independent: the server answers per-row errors and imports the rest.
        const res = await endpoints.importRecords(api, datasetId, format, fullMapping, blob, file.name);
        const errors = (res.errors ?? []).map((e) => ({ ...e, row: e.row + chunk.lineOffset }));
        p = {
          ...p,
          rowsDone: p.rowsDone + chunk.rows,
          imported: p.imported + res.imported,
          errorCount: p.errorCount + (res.error_count ?? res.errors?.length ?? 0),
          errors: p.errors.length < kMaxShownErrors ? [...p.errors, ...errors].slice(0, kMaxShownErrors) : p.errors,
        };
        setProgress(p);
      }
      setProgress({ ...p, done: true });
    } catch (e) {
      setError(new Error(`Import stopped: ${describeError(e)}. Rows before this batch are stored.`));
    } finally {
      setBusy(false);
    }
  };

  const extraColumns = preview?.columns.filter((c) => !mapped.has(c)) ?? [];

  return (
    <Page
      title={`Import into ${dataset.name}`}
      actions={
        <>
          <a class="btn" href={href.annotate(datasetId)}>
            Annotate
          </a>
          <a class="btn" href={href.settings(datasetId)}>
            Settings
          </a>
        </>
      }
    >
      <section class="card stack">
        <div class="row">
          <label>
            File (CSV with a header row, or JSON Lines)
            <input
              type="file"
              name="file"
              accept=".csv,.tsv,.txt,.jsonl,.ndjson,.json"
              onChange={(e) => choose(e.currentTarget.files?.[0] ?? null)}
            />
          </label>
          <label>
            Format
            <select name="format" value={format} onChange={(e) => choose(file, e.currentTarget.value as ImportFormat)}>
              <option value="csv">CSV</option>
              <option value="jsonl">JSON Lines</option>
            </select>
          </label>
        </div>
        {file && (
          <p class="muted small">
            {file.name} · {(file.size / 1024).toFixed(1)} KB
          </p>
        )}
        <ErrorBanner error={error} />
      </section>

      {preview && (
        <>
          <section class="card stack">
            <h2>Columns</h2>
            <div class="form-grid">
              {fields.map((f) => (
                <ColumnSelect
                  key={f.id}
                  label={`Field “${f.title}” (${f.name})${f.required ? ' *' : ''}`}
                  name={`field-${f.name}`}
                  columns={preview.columns}
                  value={mapping.fields[f.name]}
                  onChange={(v) => setMapping({ ...mapping, fields: withEntry(mapping.fields, f.name, v) })}
                />
              ))}
              <ColumnSelect
                label="External id"
                name="external-id"
                noneLabel="(none: ids are generated)"
                columns={preview.columns}
                value={typeof mapping.external_id === 'string' ? mapping.external_id : undefined}
                onChange={(v) => setMapping(withColumn(mapping, 'external_id', v))}
              />
              {metadata.map((m) => (
                <ColumnSelect
                  key={m.id}
                  label={`Metadata “${m.title}” (${m.settings.type})`}
                  name={`metadata-${m.name}`}
                  columns={preview.columns}
                  value={mapping.metadata[m.name]}
                  onChange={(v) => setMapping({ ...mapping, metadata: withEntry(mapping.metadata, m.name, v) })}
                />
              ))}
              <ColumnSelect
                label="Spans column (JSON list of start/end/label)"
                name="spans-column"
                columns={preview.columns}
                value={mapping.spans}
                onChange={(v) => setMapping(withColumn(mapping, 'spans', v))}
              />
              {mapping.spans && (
                <label>
                  Import spans as
                  <select
                    name="spans-as"
                    value={mapping.spans_as ?? 'suggestion'}
                    onChange={(e) => setMapping({ ...mapping, spans_as: e.currentTarget.value as 'suggestion' | 'response' })}
                  >
                    <option value="suggestion">suggestions (annotators accept or fix them)</option>
                    <option value="response">my submitted responses</option>
                  </select>
                </label>
              )}
            </div>
            {dataset.allow_extra_metadata !== false && extraColumns.length > 0 && (
              <div class="row">
                <span class="muted">Also keep as metadata:</span>
                {extraColumns.map((c) => (
                  <label class="inline" key={c}>
                    <input
                      type="checkbox"
                      checked={extraMeta.has(c)}
                      onChange={(e) => {
                        const next = new Set(extraMeta);
                        if (e.currentTarget.checked) next.add(c);
                        else next.delete(c);
                        setExtraMeta(next);
                      }}
                    />
                    {c}
                  </label>
                ))}
              </div>
            )}
            {problems.map((p) => (
              <Notice key={p} kind="warn">
                {p}
              </Notice>
            ))}
          </section>

          <section class="card stack">
            <h2>Preview (first {preview.rows.length} rows)</h2>
            {preview.problems.map((p) => (
              <Notice key={`${p.row}:${p.message}`} kind="warn">
                Row {p.row} {p.message}
              </Notice>
            ))}
            <div class="table-wrap">
              <table data-testid="import-preview">
                <thead>
                  <tr>
                    <th>#</th>
                    {preview.columns.map((c) => (
                      <th key={c}>
                        {c}
                        {mapped.has(c) ? ' ✓' : ''}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {preview.rows.map((r, i) => (
                    <tr key={i}>
                      <td class="muted">{i + 1}</td>
                      {preview.columns.map((c) => (
                        <td key={c} class="cell-text">
                          {r[c].length > 400 ? `${r[c].slice(0, 400)}…` : r[c]}
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <div class="row">
              <button type="button" class="btn btn-primary" disabled={busy || problems.length > 0} onClick={run} data-testid="start-import">
                {busy ? 'Importing…' : 'Import'}
              </button>
            </div>
          </section>
        </>
      )}

      {progress && (
        <section class="card stack" data-testid="import-progress">
          <h2>{progress.done ? 'Import finished' : 'Importing…'}</h2>
          <ProgressBar
            total={progress.rowsTotal}
            parts={[{ value: progress.rowsDone, className: 'progress-completed', title: 'Rows sent' }]}
          />
          <p data-testid="import-summary">
            {progress.rowsDone} of {progress.rowsTotal} rows processed · {progress.imported} imported ·{' '}
            {progress.errorCount} with errors
          </p>
          {progress.done && progress.imported > 0 && (
            <p>
              <a href={href.annotate(datasetId)}>Start annotating</a>
            </p>
          )}
          {progress.errors.length > 0 && (
            <div class="table-wrap">
              <table data-testid="import-errors">
                <thead>
                  <tr>
                    <th>Line</th>
                    <th>Field</th>
                    <th>Problem</th>
                  </tr>
                </thead>
                <tbody>
                  {progress.errors.map((e, i) => (
                    <tr key={i}>
                      <td>{e.row}</td>
                      <td>{e.field ?? ''}</td>
                      <td class="cell-text">{e.message}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      )}
    </Page>
  );
}
