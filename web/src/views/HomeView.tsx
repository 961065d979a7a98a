// Home: the workspaces and datasets the user may see, with progress and the user's own counts.
import { api, endpoints, type Dataset, type DatasetProgress, type MyMetrics, type Workspace } from '../api';
import { canManageDatasets, useUser } from '../auth';
import { ErrorBanner, Page, ProgressBar, Spinner } from '../components/ui';
import { useAsync } from '../lib/useAsync';
import { href } from '../router';

interface DatasetRow {
  dataset: Dataset;
  progress?: DatasetProgress;
  metrics?: MyMetrics;
  error?: unknown;
}

export interface HomeData {
  workspaces: Workspace[];
  rows: DatasetRow[];
}

/** Groups datasets under their workspace, in workspace order; unknown workspaces go last. */
export function groupByWorkspace(workspaces: Workspace[], rows: DatasetRow[]) {
  const groups = workspaces.map((w) => ({ workspace: w, rows: [] as DatasetRow[] }));
  const byId = new Map(groups.map((g) => [g.workspace.id, g]));
  for (const row of rows) {
    let g = byId.get(row.dataset.workspace_id);
    if (!g) {
      g = { workspace: { id: row.dataset.workspace_id, name: row.dataset.workspace_id }, rows: [] };
      byId.set(g.workspace.id, g);
      groups.push(g);
    }
    g.rows.push(row);
  }
  for (const g of groups) g.rows.sort((a, b) => a.dataset.name.localeCompare(b.dataset.name));
  return groups;
}

async function loadHome(): Promise<HomeData> {
  const [workspaces, datasets] = await Promise.all([endpoints.myWorkspaces(api), endpoints.myDatasets(api)]);
  const rows = await Promise.all(
    datasets.items.map(async (dataset): Promise<DatasetRow> => {
      try {
        const [progress, metrics] = await Promise.all([
          endpoints.datasetProgress(api, dataset.id),
          endpoints.myMetrics(api, dataset.id),
        ]);
        return { dataset, progress, metrics };
      } catch (error) {
        return { dataset, error };
      }
    }),
  );
  return { workspaces: workspaces.items, rows };
}

function DatasetCard({ row, manage }: { row: DatasetRow; manage: boolean }) {
  const { dataset, progress, metrics } = row;
  const mine = metrics?.responses;
  return (
    <article class="card dataset-card" data-testid="dataset-card">
      <div class="row">
        <h3 class="dataset-name">
          <a href={href.annotate(dataset.id)}>{dataset.name}</a>
        </h3>
        <span class="spacer" />
        {dataset.status === 'draft' && <span class="chip">draft</span>}
      </div>
      {progress && (
        <>
          <ProgressBar
            total={progress.total}
            parts={[{ value: progress.completed, className: 'progress-completed', title: 'Completed' }]}
          />
          <p class="muted small" data-testid="dataset-progress">
            {progress.completed} of {progress.total} records completed · {progress.pending} pending
          </p>
        </>
      )}
      {mine && (
        <p class="small" data-testid="my-counts">
          You: {mine.submitted} submitted · {mine.draft} draft · {mine.discarded} discarded · {mine.pending} to do
        </p>
      )}
      <ErrorBanner error={row.error} />
      <div class="row">
        <a class="btn btn-primary btn-small" href={href.annotate(dataset.id)}>
          Annotate
        </a>
        {manage && (
          <>
            <a class="btn btn-small" href={href.settings(dataset.id)}>
              Settings
            </a>
            <a class="btn btn-small" href={href.import(dataset.id)}>
              Import
            </a>
            <a class="btn btn-small" href={href.export(dataset.id)}>
              Export
            </a>
          </>
        )}
      </div>
    </article>
  );
}

export function HomeView() {
  const user = useUser();
  const manage = canManageDatasets(user);
  const { data, error, loading, reload } = useAsync(loadHome, []);
  return (
    <Page
      title="Datasets"
      actions={
        manage && (
          <a class="btn btn-primary" href={href.datasetNew()}>
            New dataset
          </a>
        )
      }
    >
      <ErrorBanner error={error} onRetry={reload} />
      {loading && !data && <Spinner />}
      {data && data.rows.length === 0 && (
        <p class="muted">
          {manage ? 'No datasets yet. Create one to start.' : 'No datasets in your workspaces yet.'}
        </p>
      )}
      {data &&
        groupByWorkspace(data.workspaces, data.rows).map((g) => (
          <section key={g.workspace.id} class="workspace" data-testid="workspace">
            <h2>{g.workspace.name}</h2>
            {g.rows.length === 0 ? (
              <p class="muted small">No datasets.</p>
            ) : (
              <div class="grid">
                {g.rows.map((r) => (
                  <DatasetCard key={r.dataset.id} row={r} manage={manage} />
                ))}
              </div>
            )}
          </section>
        ))}
    </Page>
  );
}
