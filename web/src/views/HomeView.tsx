// Home screen (being built).
import { Page } from '../components/ui';

export function HomeView() {
  return (
    <Page title="Home">
      <p class="muted">Coming in the next commit.</p>
    </Page>
  );
}
