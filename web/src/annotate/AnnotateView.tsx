// Placeholder for the annotation view; the "annotate" branch replaces this file.
import { Page } from '../components/ui';

export interface AnnotateViewProps {
  datasetId: string;
  /** Query part of the hash route (`#/datasets/:id/annotate?status=draft&q=...`). */
  query: URLSearchParams;
}

export function AnnotateView({ datasetId }: AnnotateViewProps) {
  return (
    <Page title="Annotate">
      <p class="muted">The annotation view for dataset {datasetId} is being built.</p>
    </Page>
  );
}
