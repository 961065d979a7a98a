// DatasetSettings screen (being built).
import { Page } from '../components/ui';

export function DatasetSettingsView({ datasetId }: { datasetId?: string }) {
  return (
    <Page title="DatasetSettings">
      <p class="muted">Coming in the next commit. {datasetId}</p>
    </Page>
  );
}
