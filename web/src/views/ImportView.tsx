// Import screen (being built).
import { Page } from '../components/ui';

export function ImportView({ datasetId }: { datasetId: string }) {
  return (
    <Page title="Import">
      <p class="muted">Coming in the next commit. {datasetId}</p>
    </Page>
  );
}
