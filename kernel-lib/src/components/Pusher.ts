import { resolve } from 'node:path';
import { TsfxError } from '../errors';
import { Component, type ExecutorContext } from '../pipeline/Component';
import type { Channel } from '../pipeline/Channel';
import { checkBlessing } from '../serving/blessing';
import { copyTree, pushToFilesystem } from '../serving/push';
import { servingDir } from '../trainer/servingBundle';

/** TFX's PushDestination; only the filesystem destination exists here. */
export interface PushDestination {
  filesystem: { baseDirectory: string };
}

export type PusherParameters = {
  pushDestination: { filesystem: { baseDirectory: string } };
};

/**
 * TFX's Pusher: pushes a model the Evaluator blessed to where a model server finds it,
 * `<baseDirectory>/<version>/` (a copy of the serving bundle; `tsfx serve` and `tsfx predict`
 * read it), written atomically (see `pushToFilesystem`). The `pushed_model` output keeps a copy
 * too, as TFX's does, with the properties `pushed` (1/0), `pushed_destination` and
 * `pushed_version`. A model that is not blessed is not pushed: `pushed` is 0 and one log line
 * says which thresholds failed.
 */
export class Pusher extends Component<PusherParameters> {
  readonly type = 'Pusher';

  constructor(options: {
    model: Channel;
    modelBlessing: Channel;
    pushDestination: PushDestination;
  }) {
    const baseDirectory = options.pushDestination?.filesystem?.baseDirectory;
    if (typeof baseDirectory !== 'string' || baseDirectory === '') {
      throw new TsfxError('Pusher pushDestination.filesystem.baseDirectory must be a folder path');
    }
    super({
      inputs: { model: options.model, model_blessing: options.modelBlessing },
      outputs: { pushed_model: 'PushedModel' },
      parameters: { pushDestination: { filesystem: { baseDirectory: resolve(baseDirectory) } } },
    });
  }

  async execute({
    inputs,
    outputs,
    parameters,
    log,
    signal,
  }: ExecutorContext<PusherParameters>): Promise<void> {
    const model = inputs.model[0];
    const blessing = inputs.model_blessing[0];
    const pushed = outputs.pushed_model;
    const verdict = checkBlessing(blessing, model);
    if (!verdict.blessed) {
      pushed.properties = { pushed: 0, pushed_destination: null, pushed_version: null };
      log(`${this.id}: not pushed: ${verdict.reason}`);
      return;
    }
    const bundle = servingDir(model.uri);
    // The archive copy first: once the version is in the serving folder, nothing may fail.
    await copyTree(bundle, pushed.uri, signal);
    const { destination, version } = await pushToFilesystem(
      bundle,
      parameters.pushDestination.filesystem.baseDirectory,
      { log, signal },
    );
    pushed.properties = {
      pushed: 1,
      pushed_destination: destination,
      pushed_version: String(version),
    };
    log(`${this.id}: pushed model ${model.id} to ${destination} (version ${version})`);
  }
}
