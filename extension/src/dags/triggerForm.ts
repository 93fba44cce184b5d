/**
 * Trigger with config: one field per param of the DAG (typed by its default: a number, a
 * checkbox, or text; JSON for objects and lists), filled with the defaults, as Airflow's form.
 */
import { h } from '../dom.js';

export function drawTriggerForm(
  doc: Document,
  params: Readonly<Record<string, unknown>>,
  submit: (conf: Record<string, unknown>) => void,
  cancel: () => void,
): HTMLFormElement {
  const form = h(doc, 'form', { class: 'tsfx-dag-trigger-form' });
  const readers: [string, () => unknown][] = [];
  for (const [key, value] of Object.entries(params)) {
    const id = `tsfx-param-${key}`;
    let input: HTMLInputElement | HTMLTextAreaElement;
    if (typeof value === 'boolean') {
      const box = h(doc, 'input', { type: 'checkbox', id, name: key });
      box.checked = value;
      readers.push([key, () => box.checked]);
      input = box;
    } else if (typeof value === 'number') {
      const field = h(doc, 'input', {
        type: 'number',
        id,
        name: key,
        step: 'any',
        value: String(value),
      });
      readers.push([key, () => Number(field.value)]);
      input = field;
    } else if (typeof value === 'string') {
      const field = h(doc, 'input', { type: 'text', id, name: key, value });
      readers.push([key, () => field.value]);
      input = field;
    } else {
      const area = h(doc, 'textarea', { id, name: key, rows: 3 }, JSON.stringify(value, null, 2));
      readers.push([key, () => JSON.parse(area.value) as unknown]);
      input = area;
    }
    form.append(h(doc, 'label', { for: id }, key), input);
  }
  if (readers.length === 0) form.append(h(doc, 'p', undefined, 'This DAG has no params.'));
  const error = h(doc, 'div', { class: 'tsfx-error', hidden: true });
  const go = h(doc, 'button', { type: 'submit', class: 'tsfx-dag-trigger-submit' }, 'Trigger');
  const back = h(doc, 'button', { type: 'button' }, 'Cancel');
  back.addEventListener('click', cancel);
  form.append(error, h(doc, 'div', { class: 'tsfx-dag-buttons' }, go, back));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const conf: Record<string, unknown> = {};
    for (const [key, read] of readers) {
      try {
        conf[key] = read();
      } catch (e) {
        error.hidden = false;
        error.textContent = `${key}: not JSON: ${e instanceof Error ? e.message : String(e)}`;
        return;
      }
    }
    submit(conf);
  });
  return form;
}
