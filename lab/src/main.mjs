/* global window */
// Starts JupyterLab: registers the source extensions compiled into this app (the list generated
// by build.mjs from core-meta's core.package.json plus jupyterlab-tsfx) and the prebuilt
// (federated) extensions found by the server. A federated extension replaces a bundled one of
// the same name, as in the standard JupyterLab app.
import { JupyterLab } from '@jupyterlab/application';
import { PageConfig, JupyterPluginRegistry } from '@jupyterlab/coreutils';
import { IConnectionStatus, IServiceManager } from '@jupyterlab/services';
import { extensions, mimeExtensions } from 'tsfx-lab-generated/extensions.js';
import 'tsfx-lab-generated/style.js';

async function federatedModule(scope, module) {
  const factory = await window._JUPYTERLAB[scope].get(module);
  const instance = factory();
  instance.__scope__ = scope;
  return instance;
}

function pluginsOf(extension) {
  const exported = Object.prototype.hasOwnProperty.call(extension, '__esModule')
    ? extension.default
    : extension;
  return Array.isArray(exported) ? exported : [exported];
}

export async function main() {
  const federated = JSON.parse(PageConfig.getOption('federated_extensions') || '[]');
  const federatedNames = new Set();
  const extPromises = [];
  const mimePromises = [];
  const stylePromises = [];
  for (const data of federated) {
    if (data.extension) {
      federatedNames.add(data.name);
      extPromises.push(federatedModule(data.name, data.extension));
    }
    if (data.mimeExtension) {
      federatedNames.add(data.name);
      mimePromises.push(federatedModule(data.name, data.mimeExtension));
    }
    if (data.style && !PageConfig.Extension.isDisabled(data.name)) {
      stylePromises.push(federatedModule(data.name, data.style));
    }
  }

  const disabled = [];
  const deferred = [];
  const ignorePlugins = [];
  const availablePlugins = [];
  function* active(extension) {
    for (const plugin of pluginsOf(extension)) {
      const isDisabled = PageConfig.Extension.isDisabled(plugin.id);
      availablePlugins.push({
        id: plugin.id,
        description: plugin.description,
        requires: plugin.requires ?? [],
        optional: plugin.optional ?? [],
        provides: plugin.provides ?? null,
        autoStart: plugin.autoStart,
        enabled: !isDisabled,
        extension: extension.__scope__,
      });
      if (isDisabled) {
        disabled.push(plugin.id);
        continue;
      }
      if (PageConfig.Extension.isDeferred(plugin.id)) {
        deferred.push(plugin.id);
        ignorePlugins.push(plugin.id);
      }
      yield plugin;
    }
  }

  function collect(bundled, promisesDone, into) {
    for (const [name, load] of Object.entries(bundled)) {
      if (federatedNames.has(name)) continue;
      try {
        const ext = load();
        ext.__scope__ = name;
        into.push(...active(ext));
      } catch (e) {
        console.error(e);
      }
    }
    for (const p of promisesDone) {
      if (p.status === 'fulfilled') into.push(...active(p.value));
      else console.error(p.reason);
    }
  }

  const mimePlugins = [];
  collect(mimeExtensions, await Promise.allSettled(mimePromises), mimePlugins);
  const plugins = [];
  collect(extensions, await Promise.allSettled(extPromises), plugins);
  for (const r of await Promise.allSettled(stylePromises)) {
    if (r.status === 'rejected') console.error(r.reason);
  }

  const pluginRegistry = new JupyterPluginRegistry();
  pluginRegistry.registerPlugins(plugins);
  const connectionStatus = await pluginRegistry.resolveOptionalService(IConnectionStatus);
  const serviceManager = await pluginRegistry.resolveRequiredService(IServiceManager);

  const patterns = (list) => list.map(String);
  const lab = new JupyterLab({
    pluginRegistry,
    serviceManager,
    mimeExtensions: mimePlugins,
    connectionStatus,
    disabled: { matches: disabled, patterns: patterns(PageConfig.Extension.disabled) },
    deferred: { matches: deferred, patterns: patterns(PageConfig.Extension.deferred) },
    availablePlugins,
  });
  void lab.start({ ignorePlugins, bubblingKeydown: true });
  if ((PageConfig.getOption('exposeAppInBrowser') || '').toLowerCase() === 'true') {
    window.jupyterapp = lab;
  }
}
