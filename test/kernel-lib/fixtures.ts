import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Channel } from '../../kernel-lib/src/pipeline/Channel';
import { Component, type ExecutorContext } from '../../kernel-lib/src/pipeline/Component';

/** Small components for pipeline tests. Each counts its real executions. */

export const executions = { write: 0, copy: 0 };

/** Writes `text` into `<uri>/text.txt` of a Schema artifact. */
export class WriteText extends Component<{ text: string }> {
  readonly type = 'WriteText';
  constructor(text: string) {
    super({ inputs: {}, outputs: { out: 'Schema' }, parameters: { text } });
  }
  async execute({ outputs, parameters }: ExecutorContext<{ text: string }>): Promise<void> {
    executions.write++;
    writeFileSync(join(outputs.out.uri, 'text.txt'), parameters.text);
    outputs.out.properties = { length: parameters.text.length };
  }
}

/** Reads its input's text and writes it upper-cased (and prefixed by a module file's text, if any). */
export class UpperText extends Component<{ moduleFile: string | null }> {
  readonly type = 'UpperText';
  constructor(input: Channel, moduleFile: string | null = null) {
    super({
      inputs: { text: input },
      outputs: { out: 'ExampleStatistics' },
      parameters: { moduleFile },
    });
  }
  async execute({
    inputs,
    outputs,
    parameters,
  }: ExecutorContext<{ moduleFile: string | null }>): Promise<void> {
    executions.copy++;
    const text = readFileSync(join(inputs.text[0].uri, 'text.txt'), 'utf8');
    const prefix = parameters.moduleFile ? readFileSync(parameters.moduleFile, 'utf8') : '';
    writeFileSync(join(outputs.out.uri, 'text.txt'), prefix + text.toUpperCase());
  }
}

/** Writes part of its output, then fails (or waits forever, to be killed). */
export class WritesThenFails extends Component<{ mode: 'throw' | 'hang' }> {
  readonly type = 'WritesThenFails';
  constructor(mode: 'throw' | 'hang') {
    super({ inputs: {}, outputs: { out: 'Model' }, parameters: { mode } });
  }
  async execute({
    outputs,
    parameters,
  }: ExecutorContext<{ mode: 'throw' | 'hang' }>): Promise<void> {
    writeFileSync(join(outputs.out.uri, 'half-written.bin'), 'partial');
    if (parameters.mode === 'hang') {
      console.log('READY');
      await new Promise(() => {});
    }
    throw new Error('disk on fire');
  }
}

/**
 * Reads a required `text` and an optional `extra` (TFX's `optional=True`), and writes what it saw:
 * `text+extra`, or `text (no extra)` when the optional input is absent.
 */
export class JoinsOptional extends Component<Record<string, never>> {
  readonly type = 'JoinsOptional';
  seen: { extra: unknown } | null = null;
  constructor(text: Channel, extra?: Channel) {
    super({
      inputs: { text, extra: extra?.asOptional() },
      outputs: { out: 'Schema' },
      parameters: {},
    });
  }
  async execute({ inputs, outputs }: ExecutorContext<Record<string, never>>): Promise<void> {
    this.seen = { extra: inputs.extra };
    const read = (uri: string) => readFileSync(join(uri, 'text.txt'), 'utf8');
    const text = read(inputs.text[0].uri);
    const extra = inputs.extra ? `+${read(inputs.extra[0].uri)}` : ' (no extra)';
    writeFileSync(join(outputs.out.uri, 'text.txt'), text + extra);
  }
}
