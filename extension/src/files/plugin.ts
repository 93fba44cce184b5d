/**
 * jupyterlab-tsfx's front-end plugin: double-clicking an artifact file in the file browser
 * (FeatureStats.json, schema.json, SchemaDiff.json, a model run's events.jsonl) opens it in the
 * view a notebook's `show()` draws. Its siblings are read through the contents API.
 */
import type { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { contentsReader } from './contentsReader.js';
import { ArtifactFileFactory } from './factory.js';
import { ARTIFACT_FILE_TYPES } from './fileTypes.js';

const plugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-tsfx:artifact-files',
  description: 'Opens tsfx artifact files in their tsfx view.',
  autoStart: true,
  requires: [],
  activate: (app: JupyterFrontEnd) => {
    for (const fileType of ARTIFACT_FILE_TYPES) app.docRegistry.addFileType(fileType);
    app.docRegistry.addWidgetFactory(
      new ArtifactFileFactory(contentsReader(app.serviceManager.contents)),
    );
  },
};

export default plugin;
