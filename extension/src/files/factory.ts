/**
 * The document widget factory of tsfx artifact files: the default viewer of the tsfx file types,
 * read-only, redrawn when the file is reloaded.
 */
import {
  ABCWidgetFactory,
  DocumentWidget,
  type DocumentRegistry,
  type IDocumentWidget,
} from '@jupyterlab/docregistry';
import { Widget } from '@lumino/widgets';
import type { ArtifactFileReader } from '@tsfx/protocol';
import { ARTIFACT_FILE_TYPES } from './fileTypes.js';
import { drawArtifactFile } from './view.js';

export const FACTORY_NAME = 'tsfx';

/** The content of an opened artifact file: its tsfx view. */
export class ArtifactFileWidget extends Widget {
  private drawing: Promise<void> = Promise.resolve();

  constructor(
    private readonly context: DocumentRegistry.Context,
    private readonly reader: ArtifactFileReader,
  ) {
    super();
    this.addClass('tsfx-file-view');
  }

  /** Draws the file as it is now; a change during a drawing draws again after it. */
  redraw(): Promise<void> {
    this.drawing = this.drawing.then(async () => {
      if (this.isDisposed) return;
      await drawArtifactFile(
        this.node,
        this.context.path,
        this.context.model.toString(),
        this.reader,
      );
    });
    return this.drawing;
  }
}

export class ArtifactFileFactory extends ABCWidgetFactory<IDocumentWidget<ArtifactFileWidget>> {
  constructor(private readonly reader: ArtifactFileReader) {
    const names = ARTIFACT_FILE_TYPES.map((t) => t.name);
    super({
      name: FACTORY_NAME,
      label: 'tsfx view',
      fileTypes: names,
      defaultFor: names,
      readOnly: true,
    });
  }

  protected createNewWidget(
    context: DocumentRegistry.Context,
  ): IDocumentWidget<ArtifactFileWidget> {
    const content = new ArtifactFileWidget(context, this.reader);
    const reveal = context.ready.then(() => {
      // The text changed (an editor on the same file), or the file was reloaded from disk (then
      // the siblings are read again too).
      context.model.contentChanged.connect(() => void content.redraw());
      context.fileChanged.connect(() => void content.redraw());
      return content.redraw();
    });
    return new DocumentWidget({ content, context, reveal });
  }
}
