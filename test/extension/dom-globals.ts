/// <reference lib="dom" />
// Import first: Lumino (used by the JupyterLab renderer widget) reads browser globals when its
// modules load, so jsdom's window is exposed on globalThis, plus DragEvent, which jsdom lacks
// (Lumino only subclasses it).
import { newDocument } from './render-helpers';

const { window } = newDocument();
const win = window as unknown as Record<string, unknown>;
const g = globalThis as Record<string, unknown>;
for (const name of Object.getOwnPropertyNames(window)) {
  if (name in g && name !== 'navigator') continue;
  try {
    Object.defineProperty(g, name, { value: win[name], configurable: true, writable: true });
  } catch {
    // getters that throw in jsdom (localStorage on an opaque origin): not needed
  }
}
g.window = window;
const MouseEventClass = win.MouseEvent as typeof MouseEvent;
g.DragEvent ??= class DragEvent extends MouseEventClass {};
