// The annotation workbench: queue sidebar, the record with its spans, labels and actions, and the
// guidelines/progress/metadata panel. Mouse and keyboard both drive the same Editor.
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, endpoints, type DatasetRecord, type MyMetrics, type RecordResponse, type ResponseStatus, type User } from '../api';
import { Markdown } from '../components/Markdown';
import { ErrorBanner, Notice, ProgressBar } from '../components/ui';
import { href } from '../router';
import { safeColor } from './colors';
import { Editor } from './editor';
import { DigitPicker, mapKey, type Action } from './keymap';
import { myResponse, recordText, responseSpans, spanSetup, spanSuggestion, type AnnotateSettings } from './model';
import { findHits, searchBody, searchTerms, TABS, type QueueQuery, type Tab } from './query';
import { RecordQueue } from './queue';
import { Saver, type SaveJob } from './saver';
import { toValue, type Span } from './spans';
import { initialSpans, pendingCount } from './suggestions';
import { measureSince, TextPane } from './textpane';
import { FilterPanel } from './FilterPanel';
import { HelpDialog, MetadataTable, OverlapDialog, SelectedSpan } from './Panels';

interface Props {
  settings: AnnotateSettings;
  user: User;
  query: URLSearchParams;
}

const TAB_TITLES: Record<Tab, string> = { pending: 'Pending', draft: 'Draft', submitted: 'Submitted', discarded: 'Discarded' };

function isTab(s: string | null): s is Tab {
  return !!s && (TABS as string[]).includes(s);
}

/** `?sort=inserted_at:asc` (also `metadata:NAME:desc`) from the route. */
function parseSort(v: string | null): QueueQuery['sort'] {
  const m = v ? /^(inserted_at|updated_at|suggestion_score|metadata:[^:]+):(asc|desc)$/.exec(v) : null;
  return m ? { by: m[1] as NonNullable<QueueQuery['sort']>['by'], order: m[2] as 'asc' | 'desc' } : undefined;
}

function isControl(t: EventTarget | null): boolean {
  const el = t as HTMLElement | null;
  return !!el?.closest?.('button, a, summary');
}

function isTyping(t: EventTarget | null): boolean {
  const el = t as HTMLElement | null;
  if (!el || !el.tagName) return false;
  return el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable;
}

export function Workbench({ settings, user, query }: Props) {
  const setup = useMemo(() => spanSetup(settings.questions, settings.dataset), [settings.questions, settings.dataset]);
  const datasetId = settings.dataset.id;
  const [filters, setFilters] = useState<QueueQuery>(() => ({
    tab: isTab(query.get('status')) ? (query.get('status') as Tab) : 'pending',
    text: query.get('q') ?? '',
    question: setup?.question.name,
    sort: parseSort(query.get('sort')),
  }));
  const [, setTick] = useState(0);
  const rerender = useCallback(() => setTick((t) => t + 1), []);
  const [queueError, setQueueError] = useState<unknown>(null);
  const [loadingQueue, setLoadingQueue] = useState(true);
  const [metrics, setMetrics] = useState<MyMetrics | null>(null);
  const [help, setHelp] = useState(false);
  const [labelFilter, setLabelFilter] = useState<string | null>(null);
  const [showAllLabels, setShowAllLabels] = useState(false);
  const [flash, setFlash] = useState<string | null>(null);

  const editor = useRef(new Editor()).current;
  const picker = useRef(new DigitPicker(400)).current;
  const textRef = useRef<HTMLDivElement>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const labelFilterRef = useRef<HTMLInputElement>(null);
  const paneRef = useRef<TextPane | null>(null);
  const loadedId = useRef<string | null>(null);
  // Unsaved edits of records the user moved away from, so ← brings them back.
  const edits = useRef(new Map<string, Span[]>());

  const saver = useMemo(
    () =>
      new Saver(
        {
          create: (id, values, status) => endpoints.createResponse(api, id, values, status),
          update: (id, values, status) => endpoints.updateResponse(api, id, values, status),
          findMine: async (id) => myResponse(await endpoints.getRecord(api, id), user.id),
        },
        { storageKey: `spanloop.outbox.${user.id}` },
      ),
    [user.id],
  );

  const labels = setup?.labels ?? [];
  editor.labels = labels.map((l) => l.value);
  editor.allowOverlap = !!setup?.settings.allow_overlapping;
  editor.onChange = rerender;

  // ---- metrics ----
  const metricsTimer = useRef<ReturnType<typeof setTimeout>>();
  const refreshMetrics = useCallback(() => {
    clearTimeout(metricsTimer.current);
    metricsTimer.current = setTimeout(() => {
      endpoints.myMetrics(api, datasetId).then(setMetrics, () => {});
    }, 300);
  }, [datasetId]);
  useEffect(() => {
    endpoints.myMetrics(api, datasetId).then(setMetrics, () => {});
  }, [datasetId]);
  // A refresh still waiting when the view goes (e.g. sign-out right after a save) is dropped.
  useEffect(() => () => clearTimeout(metricsTimer.current), []);

  // ---- queue ----
  const queue = useMemo(() => {
    const body = searchBody(filters);
    return new RecordQueue((offset, limit) =>
      endpoints
        .searchMyRecords(api, datasetId, body, { offset, limit, include: ['responses', 'suggestions'] })
        .then((page) => ({ items: page.items.map((h) => h.record), total: page.total })),
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [datasetId, JSON.stringify(filters)]);

  useEffect(() => {
    let live = true;
    queue.onChange = () => live && rerender();
    setLoadingQueue(true);
    setQueueError(null);
    queue.start().then(
      () => live && (setLoadingQueue(false), showCurrent()),
      (e) => live && (setLoadingQueue(false), setQueueError(e)),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [queue]);

  // ---- the text pane ----
  useEffect(() => {
    if (!textRef.current) return;
    const noApi = new URLSearchParams(location.hash.split('?')[1] ?? '').get('highlight') === 'off';
    const pane = new TextPane(
      textRef.current,
      {
        onSelect: (range) => {
          editor.labelRange(range);
        },
        onSpanClick: (id) => editor.select(id),
      },
      { noHighlightApi: noApi },
    );
    pane.setLabels(labels);
    paneRef.current = pane;
    editor.pane = pane;
    loadedId.current = null;
    showCurrent();
    return () => {
      editor.pane = null;
      pane.destroy();
      paneRef.current = null;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [setup]);

  // Save outcomes: keep the record in the queue in step with the server.
  useEffect(() => {
    saver.onChange = rerender;
    saver.onSaved = (job: SaveJob, res: RecordResponse) => {
      const rec = findLoaded(job.recordId);
      if (rec) {
        const mine = myResponse(rec, user.id);
        if (mine && !mine.id) mine.id = res.id;
      }
      refreshMetrics();
    };
    if (saver.pending.length) void saver.retryAll();
    const online = () => void saver.retryAll();
    window.addEventListener('online', online);
    return () => window.removeEventListener('online', online);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [saver]);

  function findLoaded(id: string): DatasetRecord | null {
    return queue.current?.id === id ? queue.current : null;
  }

  const record = queue.current;
  const text = record && setup ? recordText(record, setup.settings.field) : '';

  /** Loads the queue's current record into the pane and the editor (once per record). */
  function showCurrent() {
    const rec = queue.current;
    const pane = paneRef.current;
    if (!pane || !setup) return;
    if (!rec) {
      loadedId.current = null;
      pane.setText('');
      editor.load([], []);
      return;
    }
    if (loadedId.current === rec.id) return;
    loadedId.current = rec.id;
    const t0 = performance.now();
    pane.setText(recordText(rec, setup.settings.field));
    const kept = edits.current.get(rec.id);
    let spans: Span[];
    if (kept) spans = kept;
    else {
      const outbox = saver.pendingFor(rec.id);
      const resp = outbox ? ({ values: outbox.values } as RecordResponse) : myResponse(rec, user.id);
      spans = initialSpans(responseSpans(resp, setup.question.name), spanSuggestion(rec, setup.question.id));
    }
    editor.load(pane.codePoints, spans, !!kept);
    pane.setExtra('search', findHits(pane.offsetMap.text, searchTerms(filters.text), (u) => pane.offsetMap.toCodePoint(u)));
    measureSince('sl-record-render', t0);
  }

  function leaveRecord() {
    const rec = queue.current;
    if (rec && editor.dirty) edits.current.set(rec.id, editor.spans);
  }

  async function go(dir: 1 | -1) {
    leaveRecord();
    if (dir > 0) await queue.next();
    else queue.previous();
    showCurrent();
  }

  function save(status: ResponseStatus) {
    const rec = queue.current;
    if (!rec || !setup) return;
    if (editor.conflict) return;
    const mine = myResponse(rec, user.id);
    const values = { ...(mine?.values ?? {}), [setup.question.name]: { value: toValue(editor.spans) } };
    const optimistic: RecordResponse = { id: mine?.id ?? '', values, status, record_id: rec.id, user_id: user.id };
    const updated: DatasetRecord = { ...rec, responses: [optimistic, ...(rec.responses ?? []).filter((r) => r.user_id !== user.id)] };
    queue.update(updated, filters.tab !== 'pending' && status === filters.tab);
    edits.current.delete(rec.id);
    void saver.save({ recordId: rec.id, responseId: mine?.id || undefined, status, values });
    editor.markSaved();
    setFlash(status === 'submitted' ? 'Submitted' : status === 'draft' ? 'Draft saved' : 'Discarded');
    setTimeout(() => setFlash(null), 1500);
    if (status !== 'draft') void go(1);
    else {
      // Keep the pane's record but re-read the updated copy (its response id will arrive later).
      loadedId.current = rec.id;
      rerender();
    }
  }

  // ---- keyboard ----
  const onKey = (e: KeyboardEvent) => {
    if (help) {
      if (e.key === 'Escape' || e.key === '?') {
        setHelp(false);
        e.preventDefault();
      }
      return;
    }
    if (editor.conflict) {
      if (e.key === 'Enter') {
        editor.confirmConflict();
        e.preventDefault();
      } else if (e.key === 'Escape') {
        editor.cancelConflict();
        e.preventDefault();
      }
      return;
    }
    const inInput = isTyping(e.target);
    // Tab on a focused control (reached with the keyboard) moves focus as usual.
    if (e.key === 'Tab' && isControl(e.target)) return;
    const sel = editor.selected;
    const action = mapKey(e, {
      inInput,
      spanSelected: !!sel,
      suggestionSelected: sel?.origin === 'suggested',
      cursorActive: !!editor.cursor,
    });
    if (!action) return;
    if (inInput && action.type === 'escape') {
      (e.target as HTMLElement).blur();
      if (e.target === labelFilterRef.current) setLabelFilter(null);
      e.preventDefault();
      return;
    }
    e.preventDefault();
    run(action);
  };
  const onKeyRef = useRef(onKey);
  onKeyRef.current = onKey;
  useEffect(() => {
    const h = (e: KeyboardEvent) => onKeyRef.current(e);
    window.addEventListener('keydown', h);
    return () => window.removeEventListener('keydown', h);
  }, []);

  function run(a: Action) {
    switch (a.type) {
      case 'digit': {
        const n = picker.press(a.digit, labels.length, performance.now());
        if (n !== null) editor.pickLabel(n - 1);
        return;
      }
      case 'filter':
        setLabelFilter(a.text);
        setTimeout(() => labelFilterRef.current?.focus(), 0);
        return;
      case 'undo':
        return editor.undo();
      case 'redo':
        return editor.redo();
      case 'submit':
        return save('submitted');
      case 'draft':
        return save('draft');
      case 'discard':
        return save('discarded');
      case 'next':
        return void go(1);
      case 'previous':
        return void go(-1);
      case 'help':
        return setHelp(true);
      case 'escape':
        if (labelFilter !== null) setLabelFilter(null);
        if (editor.cursor) editor.clearCursor();
        else editor.select(null);
        return;
      case 'deleteSpan':
        return editor.deleteSelected();
      case 'acceptSpan':
        return editor.accept();
      case 'rejectSpan':
        return editor.reject();
      case 'acceptAll':
        return editor.acceptAll();
      case 'rejectAll':
        return editor.rejectAll();
      case 'nextSpan':
        return editor.selectStep(1);
      case 'previousSpan':
        return editor.selectStep(-1);
      case 'cursorGrow':
        return editor.cursorGrow();
      case 'cursorShrink':
        return editor.cursorShrink();
      case 'cursorNext':
        return editor.cursorMove(1);
      case 'cursorPrevious':
        return editor.cursorMove(-1);
      case 'labelCursor':
        return editor.labelCursor();
      case 'focusSearch':
        return searchRef.current?.focus();
    }
  }

  function setFilter(next: Partial<QueueQuery>) {
    leaveRecord();
    loadedId.current = null;
    const merged = { ...filters, ...next };
    setFilters(merged);
    const q: Record<string, string> = { status: merged.tab };
    if (merged.text) q.q = merged.text;
    if (merged.sort) q.sort = `${merged.sort.by}:${merged.sort.order}`;
    history.replaceState(null, '', href.annotate(datasetId, q));
  }

  // ---- rendering ----
  if (!setup)
    return (
      <main class="page">
        <Notice kind="warn">This dataset has no span question, so there is nothing to label here.</Notice>
        <a href={href.home()}>Back to the datasets</a>
      </main>
    );

  const spans = editor.spans;
  const selected = editor.selected;
  const pending = pendingCount(spans);
  const mine = record ? myResponse(record, user.id) : null;
  const visible = setup.settings.visible_options ?? labels.length;
  const filterText = (labelFilter ?? '').toLowerCase();
  const shownLabels = labels
    .map((l, i) => ({ l, i }))
    .filter(({ l, i }) =>
      labelFilter !== null
        ? l.text.toLowerCase().includes(filterText) || l.value.toLowerCase().includes(filterText)
        : showAllLabels || i < visible || i === editor.activeLabel,
    );
  const m = metrics?.responses;
  const failures = saver.failed;
  const unsent = saver.pending.length;
  const suggestionAgent = spans.find((s) => s.origin === 'suggested')?.agent;

  return (
    <div
      class="annotate"
      data-testid="annotate"
      // Clicking a button must not take the keyboard focus: shortcuts keep working after a click.
      onMouseDown={(e) => {
        if ((e.target as HTMLElement).closest('button')) e.preventDefault();
      }}
    >
      <aside class="an-side">
        <a class="muted" href={href.home()}>
          ← Datasets
        </a>
        <h1 class="an-title" title={settings.dataset.name}>
          {settings.dataset.name}
        </h1>
        <nav class="an-tabs" role="tablist">
          {TABS.map((t) => (
            <button
              key={t}
              type="button"
              role="tab"
              aria-selected={filters.tab === t}
              class={`an-tab ${filters.tab === t ? 'active' : ''}`}
              data-testid={`tab-${t}`}
              onClick={() => setFilter({ tab: t })}
            >
              {TAB_TITLES[t]}
              {m && <span class="an-count">{m[t]}</span>}
            </button>
          ))}
        </nav>
        <form
          class="an-search"
          onSubmit={(e) => {
            e.preventDefault();
            setFilter({ text: searchRef.current?.value ?? '' });
            searchRef.current?.blur();
          }}
        >
          <input ref={searchRef} type="search" placeholder="Search text ( / )" defaultValue={filters.text} data-testid="search" aria-label="Search the records' text" />
        </form>
        <FilterPanel settings={settings} labels={labels} filters={filters} onChange={setFilter} />
      </aside>

      <section class="an-main">
        <div class="an-recordbar">
          <button type="button" class="btn btn-small" disabled={!queue.hasPrevious} onClick={() => void go(-1)} title="Previous record (←)" data-testid="prev">
            ←
          </button>
          <span class="muted" data-testid="position">
            {record ? `${queue.index + 1} of ${Math.max(queue.total, queue.size)}` : ''}
          </span>
          <button type="button" class="btn btn-small" disabled={!queue.hasNext} onClick={() => void go(1)} title="Next record (→)" data-testid="next">
            →
          </button>
          {mine && (
            <span class={`an-status an-status-${mine.status}`} data-testid="record-status">
              {mine.status}
            </span>
          )}
          {editor.dirty && <span class="an-dirty" title="Changes not saved yet">● unsaved</span>}
          {flash && <span class="an-flash" role="status">{flash}</span>}
          <span class="spacer" />
          <button type="button" class="btn btn-small btn-ghost" onClick={() => setHelp(true)} title="Keyboard shortcuts (?)" data-testid="help">
            ? Shortcuts
          </button>
        </div>

        {failures.map((f) => (
          <div class="banner banner-error" role="alert" key={f.job.recordId} data-testid="save-error">
            <span>
              Could not save record {f.job.recordId.slice(0, 8)} as {f.job.status}: {f.message}.{' '}
              {f.retrying ? 'Retrying automatically; your annotation is kept.' : 'Your annotation is kept; fix it or retry.'}
            </span>
            <button type="button" class="btn btn-small" onClick={() => void saver.retryAll()} data-testid="retry-save">
              Retry now
            </button>
            {!f.retrying && (
              <button
                type="button"
                class="btn btn-small btn-ghost"
                title="Give up this save (the annotation is lost)"
                onClick={() => {
                  if (confirm('Give up saving this annotation? It will be lost.')) saver.drop(f.job.recordId);
                }}
              >
                Give up
              </button>
            )}
          </div>
        ))}
        {!failures.length && unsent > 0 && <div class="muted an-unsent">Saving {unsent}…</div>}
        {queueError ? <ErrorBanner error={queueError} onRetry={() => setFilter({})} /> : null}

        <div class="an-labels" role="toolbar" aria-label="Labels">
          {shownLabels.map(({ l, i }) => {
            const c = safeColor(l.color, i);
            const active = selected ? selected.label === l.value : editor.activeLabel === i;
            return (
              <button
                key={l.value}
                type="button"
                class={`an-label ${active ? 'active' : ''}`}
                style={{ '--c': c }}
                title={selected ? `Change the selected span to ${l.text}` : `Label with ${l.text}`}
                data-testid={`label-${l.value}`}
                onClick={() => {
                  editor.pickLabel(i);
                  setLabelFilter(null);
                }}
              >
                <kbd>{i + 1}</kbd>
                <span class="swatch" style={{ background: c }} />
                {l.text}
              </button>
            );
          })}
          {labelFilter === null && !showAllLabels && labels.length > visible && (
            <button type="button" class="btn btn-small btn-ghost" onClick={() => setShowAllLabels(true)}>
              +{labels.length - visible} more
            </button>
          )}
          {(labelFilter !== null || labels.length >= 10) && (
            <input
              ref={labelFilterRef}
              class="an-labelfilter"
              placeholder="Filter labels"
              aria-label="Filter labels"
              data-testid="label-filter"
              value={labelFilter ?? ''}
              onInput={(e) => setLabelFilter((e.target as HTMLInputElement).value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter') {
                  e.preventDefault();
                  e.stopPropagation();
                  if (shownLabels.length) editor.pickLabel(shownLabels[0].i);
                  setLabelFilter(null);
                  (e.target as HTMLInputElement).blur();
                }
              }}
            />
          )}
        </div>

        {pending > 0 && (
          <div class="an-suggestions" data-testid="suggestion-bar">
            <span>
              ✨ {pending} suggested span{pending === 1 ? '' : 's'}
              {suggestionAgent ? ` from ${suggestionAgent}` : ''} (dashed). Review each with Tab, then Space to accept or Delete
              to reject.
            </span>
            <button type="button" class="btn btn-small" onClick={() => editor.acceptAll()} data-testid="accept-all" title="Alt+A">
              Accept all
            </button>
            <button type="button" class="btn btn-small" onClick={() => editor.rejectAll()} data-testid="reject-all" title="Alt+R">
              Reject all
            </button>
          </div>
        )}

        {selected && (
          <SelectedSpan
            span={selected}
            text={paneRef.current?.offsetMap.slice(selected.start, selected.end) ?? ''}
            labels={labels}
            allowOverlap={editor.allowOverlap}
            editor={editor}
          />
        )}

        <div class="an-card sl-scroll">
          {loadingQueue && <div class="muted">Loading records…</div>}
          {!loadingQueue && !record && !queueError && (
            <div class="an-empty" data-testid="empty-queue">
              No {TAB_TITLES[filters.tab].toLowerCase()} records{filters.text ? ' match this search' : ''}.
            </div>
          )}
          <div ref={textRef} class={`an-text ${record ? '' : 'hidden'}`} style={{ cursor: 'text' }} />
        </div>

        <div class="an-actions">
          <span class="muted an-hint">
            Label: <b>{labels[editor.activeLabel]?.text ?? '—'}</b> · drag to label (Shift: exact characters) · {spans.length} span
            {spans.length === 1 ? '' : 's'}
          </span>
          <button type="button" class="btn" disabled={!record} onClick={() => editor.undo()} title="Undo (Ctrl+Z)" data-testid="undo">
            Undo
          </button>
          <button type="button" class="btn" disabled={!record} onClick={() => editor.redo()} title="Redo (Ctrl+Shift+Z)" data-testid="redo">
            Redo
          </button>
          <button type="button" class="btn btn-danger" disabled={!record} onClick={() => save('discarded')} title="Discard (Ctrl+Backspace)" data-testid="discard">
            Discard
          </button>
          <button type="button" class="btn" disabled={!record} onClick={() => save('draft')} title="Save draft (Ctrl+S)" data-testid="draft">
            Save draft
          </button>
          <button type="button" class="btn btn-primary" disabled={!record} onClick={() => save('submitted')} title="Submit (Enter)" data-testid="submit">
            Submit
          </button>
        </div>
      </section>

      <aside class="an-info">
        <details open>
          <summary>Guidelines</summary>
          {settings.dataset.guidelines ? <Markdown source={settings.dataset.guidelines} /> : <p class="muted">No guidelines.</p>}
        </details>
        <details open>
          <summary>My progress</summary>
          {m ? (
            <div data-testid="progress">
              <ProgressBar
                total={m.total || 1}
                parts={[
                  { value: m.submitted, className: 'progress-submitted', title: 'Submitted' },
                  { value: m.draft, className: 'progress-draft', title: 'Draft' },
                  { value: m.discarded, className: 'progress-discarded', title: 'Discarded' },
                ]}
              />
              <p class="muted">
                {m.submitted} submitted · {m.draft} draft · {m.discarded} discarded · {m.pending} pending
              </p>
            </div>
          ) : (
            <p class="muted">…</p>
          )}
        </details>
        <details open>
          <summary>Record metadata</summary>
          <MetadataTable record={record} settings={settings} />
        </details>
      </aside>

      {help && <HelpDialog onClose={() => setHelp(false)} />}
      {editor.conflict && <OverlapDialog editor={editor} slice={(a, b) => paneRef.current?.offsetMap.slice(a, b) ?? ''} />}
      {text === '' && record && <span class="sr-only">This record's text is empty.</span>}
    </div>
  );
}
