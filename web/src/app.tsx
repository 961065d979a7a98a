// App shell: session restore, top bar, and the route table.
import { useEffect, useState } from 'preact/hooks';
import { AnnotateView } from './annotate/AnnotateView';
import { canManageDatasets, isOwner, restoreSession, signOut, useUser } from './auth';
import { Page, Spinner } from './components/ui';
import { href, navigate, useRoute, type Route } from './router';
import { DatasetSettingsView } from './views/DatasetSettingsView';
import { ExportView } from './views/ExportView';
import { HomeView } from './views/HomeView';
import { ImportView } from './views/ImportView';
import { LoginView } from './views/LoginView';
import { UsersView } from './views/UsersView';

function TopBar() {
  const user = useUser();
  if (!user) return null;
  return (
    <header class="topbar">
      <a class="brand" href={href.home()}>
        spanloop
      </a>
      <nav>
        <a href={href.home()}>Datasets</a>
        {isOwner(user) && <a href={href.users()}>Users</a>}
      </nav>
      <div class="topbar-user">
        <span class="muted" data-testid="current-user">
          {user.username} · {user.role}
        </span>
        <button type="button" class="btn btn-small" onClick={signOut} data-testid="logout">
          Sign out
        </button>
      </div>
    </header>
  );
}

function Forbidden() {
  return (
    <Page title="Not allowed">
      <p>Your role cannot open this page.</p>
    </Page>
  );
}

function RouteView({ route }: { route: Route }) {
  const user = useUser();
  switch (route.name) {
    case 'login':
      return <LoginView next={route.next} />;
    case 'home':
      return <HomeView />;
    case 'dataset-new':
      return canManageDatasets(user) ? <DatasetSettingsView /> : <Forbidden />;
    case 'dataset-settings':
      return canManageDatasets(user) ? <DatasetSettingsView datasetId={route.datasetId} /> : <Forbidden />;
    case 'import':
      return canManageDatasets(user) ? <ImportView datasetId={route.datasetId} /> : <Forbidden />;
    case 'export':
      return canManageDatasets(user) ? <ExportView datasetId={route.datasetId} /> : <Forbidden />;
    case 'annotate':
      return <AnnotateView datasetId={route.datasetId} query={route.query} />;
    case 'users':
      return isOwner(user) ? <UsersView /> : <Forbidden />;
    case 'not-found':
      return (
        <Page title="Not found">
          <p>
            Nothing at <code>{route.path}</code>. <a href={href.home()}>Go to the datasets.</a>
          </p>
        </Page>
      );
  }
}

export function App() {
  const route = useRoute();
  const user = useUser();
  const [restoring, setRestoring] = useState(true);

  useEffect(() => {
    restoreSession().finally(() => setRestoring(false));
  }, []);

  // Every page but login needs a user; send the rest to login and come back afterwards.
  useEffect(() => {
    if (restoring || user || route.name === 'login') return;
    const path = location.hash.replace(/^#/, '') || '/';
    navigate(href.login(path === '/' ? undefined : path), true);
  }, [restoring, user, route.name]);

  if (restoring) return <Spinner />;
  if (!user && route.name !== 'login') return <Spinner />;
  return (
    <>
      <TopBar />
      <RouteView route={route} />
    </>
  );
}
