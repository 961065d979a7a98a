// The annotation view (`#/datasets/:id/annotate`): loads the dataset settings, then hands over to the
// workbench, which owns the record queue, the editor and the saver.
import { api, endpoints, type Items } from '../api';
import { useUser } from '../auth';
import { ErrorBanner, Page, Spinner } from '../components/ui';
import { useAsync } from '../lib/useAsync';
import type { AnnotateSettings } from './model';
import { Workbench } from './Workbench';
import './annotate.css';

export interface AnnotateViewProps {
  datasetId: string;
  /** Query part of the hash route (`#/datasets/:id/annotate?status=draft&q=...`). */
  query: URLSearchParams;
}

async function loadSettings(datasetId: string): Promise<AnnotateSettings> {
  const [dataset, fields, questions, metadata, options] = await Promise.all([
    endpoints.getDataset(api, datasetId),
    endpoints.listFields(api, datasetId),
    endpoints.listQuestions(api, datasetId),
    endpoints.listMetadataProperties(api, datasetId).catch(() => ({ items: [] })),
    api
      .get<Items<{ agents?: string[] }>>(`/api/v1/datasets/${encodeURIComponent(datasetId)}/records/search/suggestions/options`)
      .catch(() => ({ items: [] })),
  ]);
  const agents = [...new Set(options.items.flatMap((o) => o.agents ?? []))].sort();
  return { dataset, fields: fields.items, questions: questions.items, metadata: metadata.items, agents };
}

export function AnnotateView({ datasetId, query }: AnnotateViewProps) {
  const user = useUser();
  const settings = useAsync(() => loadSettings(datasetId), [datasetId]);
  if (settings.error)
    return (
      <Page title="Annotate">
        <ErrorBanner error={settings.error} onRetry={settings.reload} />
      </Page>
    );
  if (!settings.data || !user) return <Spinner />;
  return <Workbench key={datasetId} settings={settings.data} user={user} query={query} />;
}
