// Export screen (being built).
import { Page } from '../components/ui';

export function ExportView({ datasetId }: { datasetId: string }) {
  return (
    <Page title="Export">
      <p class="muted">Coming in the next commit. {datasetId}</p>
    </Page>
  );
}
