/* global window, document, __webpack_init_sharing__, __webpack_share_scopes__ */
// Entry point of the tsfx JupyterLab app. Runs before anything else: sets the public path of
// the bundle from the page config, loads the prebuilt (federated) extensions the server lists
// so that module federation can pick one copy of every shared package, then starts main().

function pageOption(name) {
  const el = document.getElementById('jupyter-config-data');
  const data = el ? JSON.parse(el.textContent || '{}') : {};
  return data[name] || '';
}

// eslint-disable-next-line no-undef -- rspack's runtime public path, set before any chunk loads
__webpack_public_path__ = pageOption('fullStaticUrl') + '/';

function loadScript(url) {
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.onerror = reject;
    script.onload = resolve;
    script.async = true;
    script.src = url;
    document.head.appendChild(script);
  });
}

async function loadFederated(data, baseUrl) {
  await loadScript(`${baseUrl}/${data.name}/${data.load}`);
  await __webpack_init_sharing__('default');
  const container = window._JUPYTERLAB[data.name];
  await container.init(__webpack_share_scopes__.default);
}

void (async () => {
  const federated = pageOption('federated_extensions') || [];
  const baseUrl = pageOption('fullLabextensionsUrl');
  const results = await Promise.allSettled(federated.map((d) => loadFederated(d, baseUrl)));
  for (const r of results) {
    if (r.status === 'rejected') console.error(r.reason);
  }
  const { main } = await import('./main.mjs');
  if (document.readyState === 'complete') void main();
  else window.addEventListener('load', () => void main());
})();
