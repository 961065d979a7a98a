// Users screen (being built).
import { Page } from '../components/ui';

export function UsersView() {
  return (
    <Page title="Users">
      <p class="muted">Coming in the next commit.</p>
    </Page>
  );
}
