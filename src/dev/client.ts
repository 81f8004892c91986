/**
 * The live-reload script that preview pages load. It listens on Server-Sent Events: `change`
 * reloads the page when the page itself changed, swaps stylesheets when only CSS changed;
 * `problems` shows the build errors over the page; `ok` hides them. Kept as a string: it is sent
 * to browsers, never run by Node.
 *
 * The page says which version of itself it shows (the server wrote it into the script tag): a
 * stream that connects, or connects again after the server restarted, hears at once if the page
 * changed meanwhile. A tab out of sight closes its stream, so open tabs never use up the
 * browser's six connections to one server, and opens it again when it is looked at.
 */
export function liveReloadScript(eventsUrl: string): string {
  return `(() => {
  const version = document.currentScript?.dataset.version ?? '';
  const here = () => decodeURI(location.pathname);
  let overlay = null;
  let hidden = false;
  let events = null;
  const connect = () => {
    // The page says which page it is, so a rebuild can write it before the rest of the site.
    events = new EventSource(${JSON.stringify(eventsUrl)} + '?page=' + encodeURIComponent(location.pathname) + '&version=' + encodeURIComponent(version));
    events.addEventListener('change', onChange);
    events.addEventListener('problems', onProblems);
    events.addEventListener('ok', onOk);
  };
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') {
      events?.close();
      events = null;
    } else if (!events) connect();
  });
  const onChange = (event) => {
    const changed = JSON.parse(event.data).urls;
    if (changed.includes(here())) return location.reload();
    const css = changed.filter((url) => url.endsWith('.css'));
    for (const link of document.querySelectorAll('link[rel="stylesheet"]')) {
      const url = new URL(link.href);
      if (css.includes(decodeURI(url.pathname))) {
        url.searchParams.set('quire-reload', Date.now());
        link.href = url.href;
      }
    }
  };
  // In a shadow root: the site's own stylesheet (its pre, its h2) cannot restyle the overlay.
  const onProblems = (event) => {
    const problems = JSON.parse(event.data);
    if (!overlay) {
      overlay = document.createElement('div');
      overlay.id = 'quire-error-overlay';
      overlay.setAttribute('role', 'alert');
      overlay.style.cssText = 'all:initial;position:fixed;inset:0;z-index:2147483647;display:block';
      overlay.attachShadow({ mode: 'open' });
      document.body.appendChild(overlay);
    }
    hidden = false;
    overlay.style.display = 'block';
    const root = overlay.shadowRoot;
    root.innerHTML = '<style>' + ${JSON.stringify(OVERLAY_STYLE)} + '</style>';
    const box = document.createElement('div');
    box.className = 'box';
    const title = document.createElement('h2');
    title.textContent = 'Quire: the build failed (what is served is the last good build, if any)';
    const close = document.createElement('button');
    close.textContent = 'Hide (Esc)';
    close.addEventListener('click', hide);
    box.append(close, title);
    for (const problem of problems) {
      const block = document.createElement('pre');
      block.textContent = problem;
      box.appendChild(block);
    }
    root.appendChild(box);
  };
  // Hidden until the next problem, so the last good page can be read meanwhile.
  const hide = () => {
    hidden = true;
    if (overlay) overlay.style.display = 'none';
  };
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && overlay && !hidden) hide();
  });
  const onOk = () => {
    if (overlay) overlay.remove();
    overlay = null;
  };
  connect();
})();
`;
}

/** The error overlay's own look, the same whatever the site's stylesheet says. */
const OVERLAY_STYLE = [
  '.box{box-sizing:border-box;position:absolute;inset:0;overflow:auto;padding:2rem;background:rgba(20,20,24,.96);color:#f5f5f5;font:14px/1.5 ui-monospace,Menlo,Consolas,monospace;text-align:left}',
  'h2{color:#ff7b72;font:600 18px/1.3 system-ui,sans-serif;margin:0 0 1rem;padding-right:7rem}',
  'pre{white-space:pre-wrap;overflow-wrap:anywhere;margin:0 0 1.5rem;padding:0;background:none;color:#f5f5f5;font:inherit;border:0}',
  'button{position:absolute;top:1.5rem;right:1.5rem;font:14px system-ui,sans-serif;color:#f5f5f5;background:#3a3f47;border:1px solid #6e7681;border-radius:4px;padding:.3rem .7rem;cursor:pointer}',
  'button:focus-visible{outline:3px solid #7cb7ff;outline-offset:2px}',
].join('');
