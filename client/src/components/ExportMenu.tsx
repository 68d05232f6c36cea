/**
 * The Export menu: the canvas as PNG or SVG (drawn in the browser, with a caption naming the datasets,
 * releases and date: caption.ts, caption-draw.ts), the subgraph in each export format of the server (exact ids, POST
 * /api/export with the tab's API key), and a link that restores the graph.
 */
import { useState } from 'react';
import * as api from '../api';
import { CaptionColors, pngWithCaption, svgWithCaption } from '../caption-draw';
import { download, downloadExport } from '../download';
import type { CanvasHandle } from './GraphCanvas';

interface Props {
  canvas: React.RefObject<CanvasHandle | null>;
  /** Node ids on the canvas, in canvas order. */
  ids: string[];
  /** The caption of an image export, made when it is exported (it carries the time). */
  caption(): string;
  captionColors: CaptionColors;
  onLinkCopied(): void;
  /** An export the server refused or could not make: what to tell the user. */
  onError(text: string): void;
}

export function ExportMenu({ canvas, ids, caption, captionColors, onLinkCopied, onError }: Props) {
  const [open, setOpen] = useState(false);
  const png = async () => download('sanctions-graph.png', await pngWithCaption(canvas.current!.png(), caption(), captionColors));
  const svg = () => download('sanctions-graph.svg', `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svgWithCaption(canvas.current!.svg(), caption(), captionColors))}`);
  return (
    <div className="menu">
      <button aria-haspopup="menu" aria-expanded={open} onClick={() => setOpen(!open)} disabled={!ids.length} data-testid="export-button">
        Export ▾
      </button>
      {open && (
        <div className="menu-list" role="menu" onClick={() => setOpen(false)}>
          <button role="menuitem" onClick={() => void png().catch((e) => onError(api.describeError(e)))}>
            Image (PNG)
          </button>
          <button role="menuitem" onClick={svg}>
            Image (SVG)
          </button>
          {api.EXPORT_FORMATS.map((f) => (
            <button key={f.format} role="menuitem" data-format={f.format} onClick={() => void downloadExport(ids, f.format).catch((e) => onError(api.describeError(e)))}>
              {f.label}
            </button>
          ))}
          <button role="menuitem" onClick={() => void navigator.clipboard?.writeText(window.location.href).then(onLinkCopied)}>
            Copy link to this graph
          </button>
        </div>
      )}
    </div>
  );
}
