/** jupyterlab-tsfx's front-end plugins (the package's `jupyterlab.extension` entry). */
import filesPlugin from './files/plugin.js';
import dagsPlugin from './dags/plugin.js';

export default [filesPlugin, dagsPlugin];
