/**
 * The DAG panel plugin: provides the panel's model under a token (other plugins may read or
 * drive it), adds the panel to the left sidebar, and opens artifacts in main-area tabs.
 */
import type { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { LabIcon } from '@jupyterlab/ui-components';
import { Token } from '@lumino/coreutils';
import { ArtifactViewWidget } from './artifactWidget.js';
import { DagsApi } from './api.js';
import { DagsModel } from './model.js';
import { DagsPanel } from './panel.js';

export const IDagsModel = new Token<DagsModel>(
  'jupyterlab-tsfx:IDagsModel',
  "The tsfx DAG panel's model: the scheduler's DAGs, runs and task instances.",
);

/** Three tasks left to right, as a DAG graph. */
const DAG_ICON_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><g class="jp-icon3" fill="#616161">' +
  '<rect x="1" y="9" width="6" height="6" rx="1"/><rect x="17" y="3" width="6" height="6" rx="1"/>' +
  '<rect x="17" y="15" width="6" height="6" rx="1"/>' +
  '<path d="M7 11.2h4.2V6.2H17v1.6h-4.2v3.4H7zM7 12.8h5.8v5H17v-1.6h-2.6v-5H7z"/></g></svg>';

export const dagIcon = new LabIcon({ name: 'jupyterlab-tsfx:dag', svgstr: DAG_ICON_SVG });

const plugin: JupyterFrontEndPlugin<DagsModel> = {
  id: 'jupyterlab-tsfx:dags',
  description: "The tsfx scheduler's DAGs in the left sidebar, through Jupyter's server.",
  autoStart: true,
  provides: IDagsModel,
  activate: (app: JupyterFrontEnd) => {
    const model = new DagsModel(new DagsApi(app.serviceManager.serverSettings));
    const open = (artifactId: number, label: string): void => {
      const id = `tsfx-dag-artifact-${artifactId}`;
      const existing = Array.from(app.shell.widgets('main')).find((w) => w.id === id);
      if (existing) {
        app.shell.activateById(id);
        return;
      }
      const widget = new ArtifactViewWidget(artifactId, label);
      app.shell.add(widget, 'main');
      app.shell.activateById(id);
      void widget.load(model);
    };
    const panel = new DagsPanel(model, open);
    panel.title.icon = dagIcon;
    panel.title.caption = 'tsfx DAGs';
    app.shell.add(panel, 'left', { rank: 600 });
    return model;
  },
};

export default plugin;
