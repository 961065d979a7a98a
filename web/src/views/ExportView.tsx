// Export (owner/admin): format, tagging scheme, tokenizer, response status; the alignment /
// overlap report; download with the session's credentials.
import { useState } from 'preact/hooks';
import { api, endpoints, type ExportFormat } from '../api';
import { ErrorBanner, Page, Spinner } from '../components/ui';
import { useAsync } from '../lib/useAsync';
import { href } from '../router';

export interface ExportOptions {
  format: ExportFormat;
  scheme: string;
  tokenizer: string;
  status: string;
  alignment: string;
  overlap: string;
  source: string;
  question: string;
}

export const kDefaultExport: ExportOptions = {
  format: 'conll',
  scheme: 'iob2',
  tokenizer: 'bert',
  status: 'submitted',
  alignment: 'expand',
  overlap: 'error',
  source: 'responses',
  question: '',
};

/** Query parameters for the export route (token options only for the token formats). */
export function exportParams(o: ExportOptions): endpoints.ExportParams {
  const p: endpoints.ExportParams = { format: o.format, status: o.status, source: o.source };
  if (o.format !== 'spans-jsonl') {
    p.scheme = o.scheme;
    p.tokenizer = o.tokenizer;
    p.alignment = o.alignment;
    p.overlap = o.overlap;
  }
  if (o.question) p.question = o.question;
  return p;
}

export function exportFileName(datasetName: string, format: ExportFormat): string {
  const base = datasetName.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^_+|_+$/g, '') || 'export';
  return `${base}.${format === 'conll' ? 'conll' : 'jsonl'}`;
}

/** Renders a JSON report as nested definition lists: every value is text, never markup. */
function ReportValue({ value, depth = 0 }: { value: unknown; depth?: number }) {
  if (value === null || value === undefined) return <span class="muted">–</span>;
  if (typeof value !== 'object') return <span>{String(value)}</span>;
  if (depth > 5) return <code>{JSON.stringify(value)}</code>;
  if (Array.isArray(value)) {
    if (value.length === 0) return <span class="muted">none</span>;
    if (value.every((v) => v === null || typeof v !== 'object')) return <span>{value.map(String).join(', ')}</span>;
    return (
      <ol class="report-list">
        {value.slice(0, 50).map((v, i) => (
          <li key={i}>
            <ReportValue value={v} depth={depth + 1} />
          </li>
        ))}
      </ol>
    );
  }
  return (
    <dl class="report">
      {Object.entries(value as Record<string, unknown>).map(([k, v]) => (
        <div key={k} class="report-entry">
          <dt>{k.replace(/_/g, ' ')}</dt>
          <dd>
            <ReportValue value={v} depth={depth + 1} />
          </dd>
        </div>
      ))}
    </dl>
  );
}

export function ExportView({ datasetId }: { datasetId: string }) {
  const state = useAsync(
    () => Promise.all([endpoints.getDataset(api, datasetId), endpoints.listQuestions(api, datasetId)]),
    [datasetId],
  );
  const [opts, setOpts] = useState<ExportOptions>(kDefaultExport);
  const [report, setReport] = useState<Record<string, unknown> | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<'report' | 'download' | null>(null);

  if (state.error) {
    return (
      <Page title="Export">
        <ErrorBanner error={state.error} onRetry={state.reload} />
      </Page>
    );
  }
  if (!state.data) return <Spinner />;
  const [dataset, questions] = state.data;
  const spanQuestions = questions.items.filter((q) => q.settings.type === 'span');
  const set = (patch: Partial<ExportOptions>) => {
    setOpts({ ...opts, ...patch });
    setReport(null);
  };
  const tokenFormat = opts.format !== 'spans-jsonl';

  const loadReport = async () => {
    setBusy('report');
    setError(null);
    try {
      setReport(await endpoints.exportReport(api, datasetId, exportParams(opts)));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };

  const download = async () => {
    setBusy('download');
    setError(null);
    try {
      const blob = await endpoints.exportFile(api, datasetId, exportParams(opts));
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = exportFileName(dataset.name, opts.format);
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };

  return (
    <Page
      title={`Export ${dataset.name}`}
      actions={
        <a class="btn" href={href.settings(datasetId)}>
          Settings
        </a>
      }
    >
      <section class="card stack">
        <div class="form-grid">
          <label>
            Format
            <select name="format" value={opts.format} onChange={(e) => set({ format: e.currentTarget.value as ExportFormat })}>
              <option value="conll">CoNLL (token per line)</option>
              <option value="iob-jsonl">IOB JSONL (tokens + tags)</option>
              <option value="spans-jsonl">Spans JSONL (character offsets)</option>
            </select>
          </label>
          <label>
            Tagging scheme
            <select name="scheme" value={opts.scheme} disabled={!tokenFormat} onChange={(e) => set({ scheme: e.currentTarget.value })}>
              <option value="iob2">IOB2 / BIO</option>
              <option value="iob1">IOB1</option>
              <option value="io">IO</option>
              <option value="ioe1">IOE1</option>
              <option value="ioe2">IOE2</option>
              <option value="iobes">IOBES / BIOES</option>
              <option value="bilou">BILOU</option>
            </select>
          </label>
          <label>
            Tokenizer
            <select name="tokenizer" value={opts.tokenizer} disabled={!tokenFormat} onChange={(e) => set({ tokenizer: e.currentTarget.value })}>
              <option value="bert">bert (BERT pre-tokenizer)</option>
              <option value="whitespace">whitespace</option>
            </select>
          </label>
          <label>
            Responses
            <select name="status" value={opts.status} onChange={(e) => set({ status: e.currentTarget.value })}>
              <option value="submitted">records with a submitted response</option>
              <option value="completed">completed records only</option>
              <option value="all">all records</option>
            </select>
          </label>
          <label>
            Spans from
            <select name="source" value={opts.source} onChange={(e) => set({ source: e.currentTarget.value })}>
              <option value="responses">responses (annotations)</option>
              <option value="suggestions">suggestions (model predictions)</option>
            </select>
          </label>
          <label>
            Spans inside a token
            <select name="alignment" value={opts.alignment} disabled={!tokenFormat} onChange={(e) => set({ alignment: e.currentTarget.value })}>
              <option value="expand">expand to whole tokens</option>
              <option value="contract">contract to whole tokens</option>
              <option value="strict">error</option>
              <option value="drop">drop the span</option>
            </select>
          </label>
          <label>
            Overlapping spans
            <select name="overlap" value={opts.overlap} disabled={!tokenFormat} onChange={(e) => set({ overlap: e.currentTarget.value })}>
              <option value="error">error</option>
              <option value="longest">keep the longest</option>
              <option value="first">keep the first</option>
              <option value="layers">one tag layer per level</option>
            </select>
          </label>
          {spanQuestions.length > 1 && (
            <label>
              Span question
              <select name="question" value={opts.question} onChange={(e) => set({ question: e.currentTarget.value })}>
                {spanQuestions.map((q) => (
                  <option key={q.id} value={q.name}>
                    {q.title}
                  </option>
                ))}
              </select>
            </label>
          )}
        </div>
        <div class="row">
          <button type="button" class="btn" disabled={busy !== null} onClick={loadReport} data-testid="export-report">
            {busy === 'report' ? 'Checking…' : 'Check alignment and overlaps'}
          </button>
          <button type="button" class="btn btn-primary" disabled={busy !== null} onClick={download} data-testid="export-download">
            {busy === 'download' ? 'Preparing…' : 'Download'}
          </button>
        </div>
        <ErrorBanner error={error} />
      </section>
      {report && (
        <section class="card" data-testid="export-report-view">
          <h2>Report</h2>
          <ReportValue value={report} />
        </section>
      )}
    </Page>
  );
}
