import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Channel } from '../../../kernel-lib/src/pipeline/Channel';
import {
  Component,
  type ExecutorContext,
  type ParameterValue,
} from '../../../kernel-lib/src/pipeline/Component';

type HandEvaluatorParameters = {
  blessed: boolean;
  /** A TFMA ValidationResult to write as the evaluation's validations.json (or none). */
  validations: ParameterValue;
  /** A `failures` property on the blessing (or none). */
  failures: string | null;
  /** `current_model_id` when it should name another model than the input. */
  judgedModelId: number | null;
  /** The marker file, when it should disagree with `blessed` ('none': no file). */
  markerFile: 'BLESSED' | 'NOT_BLESSED' | 'none' | null;
};

/**
 * A stand-in for the Evaluator in Pusher tests: writes a ModelBlessing in TFX's layout (the
 * `blessed` property, a BLESSED or NOT_BLESSED file, `current_model_id`) and, optionally, the
 * `evaluation` output's validations.json, with verdicts chosen by the test.
 */
export class HandEvaluator extends Component<HandEvaluatorParameters> {
  readonly type = 'HandEvaluator';

  constructor(model: Channel, options: Partial<HandEvaluatorParameters> & { blessed: boolean }) {
    super({
      inputs: { model },
      outputs: { evaluation: 'ModelEvaluation', blessing: 'ModelBlessing' },
      parameters: {
        blessed: options.blessed,
        validations: options.validations ?? null,
        failures: options.failures ?? null,
        judgedModelId: options.judgedModelId ?? null,
        markerFile: options.markerFile ?? null,
      },
    });
  }

  async execute({
    inputs,
    outputs,
    parameters,
  }: ExecutorContext<HandEvaluatorParameters>): Promise<void> {
    const { blessing, evaluation } = outputs;
    const marker = parameters.markerFile ?? (parameters.blessed ? 'BLESSED' : 'NOT_BLESSED');
    if (marker !== 'none') writeFileSync(join(blessing.uri, marker), '');
    if (parameters.validations !== null) {
      writeFileSync(
        join(evaluation.uri, 'validations.json'),
        JSON.stringify(parameters.validations),
      );
    }
    blessing.properties = {
      blessed: parameters.blessed ? 1 : 0,
      current_model_id: parameters.judgedModelId ?? inputs.model[0].id,
      baseline_model_id: null,
      ...(parameters.failures === null ? {} : { failures: parameters.failures }),
    };
  }
}
