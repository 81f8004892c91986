/**
 * The live-reload script that preview pages load. It listens on Server-Sent Events: `change`
 * reloads the page when the page itself changed, swaps stylesheets when only CSS changed;
 * `problems` shows the build errors over the page; `ok` hides them. Kept as a string: it is sent
 * to browsers, never run by Node.
 */
export function liveReloadScript(eventsUrl: string): string {
  return `(() => {
  // The page says which page it is, so a rebuild can write it before the rest of the site.
  const events = new EventSource(${JSON.stringify(eventsUrl)} + '?page=' + encodeURIComponent(location.pathname));
  const here = () => decodeURI(location.pathname);
  let overlay = null;
  events.addEventListener('change', (event) => {
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
  });
  events.addEventListener('problems', (event) => {
    const problems = JSON.parse(event.data);
    if (!overlay) {
      overlay = document.createElement('div');
      overlay.id = 'quire-error-overlay';
      overlay.setAttribute('role', 'alert');
      overlay.style.cssText = 'position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(20,20,24,.94);color:#f5f5f5;font:14px/1.5 ui-monospace,Menlo,Consolas,monospace;padding:2rem';
      document.body.appendChild(overlay);
    }
    overlay.replaceChildren();
    const title = document.createElement('h2');
    title.textContent = 'Quire: the build failed (what is served is the last good build, if any)';
    title.style.cssText = 'color:#ff7b72;font:600 18px system-ui,sans-serif;margin:0 0 1rem';
    overlay.appendChild(title);
    for (const problem of problems) {
      const block = document.createElement('pre');
      block.style.cssText = 'white-space:pre-wrap;margin:0 0 1.5rem';
      block.textContent = problem;
      overlay.appendChild(block);
    }
  });
  events.addEventListener('ok', () => {
    if (overlay) overlay.remove();
    overlay = null;
  });
})();
`;
}
