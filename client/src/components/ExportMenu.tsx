/**
 * The Export menu: the canvas as PNG or SVG (drawn in the browser), the subgraph in each export format
 * of the server (exact ids, POST /api/export with the tab's API key), and a link that restores the graph.
 */
import { useState } from 'react';
import * as api from '../api';
import { download, downloadExport } from '../download';
import type { CanvasHandle } from './GraphCanvas';

interface Props {
  canvas: React.RefObject<CanvasHandle | null>;
  /** Node ids on the canvas, in canvas order. */
  ids: string[];
  onLinkCopied(): void;
  /** An export the server refused or could not make: what to tell the user. */
  onError(text: string): void;
}

export function ExportMenu({ canvas, ids, onLinkCopied, onError }: Props) {
  const [open, setOpen] = useState(false);
  return (
    <div className="menu">
      <button aria-haspopup="menu" aria-expanded={open} onClick={() => setOpen(!open)} disabled={!ids.length} data-testid="export-button">
        Export ▾
      </button>
      {open && (
        <div className="menu-list" role="menu" onClick={() => setOpen(false)}>
          <button role="menuitem" onClick={() => download('sanctions-graph.png', canvas.current!.png())}>
            Image (PNG)
          </button>
          <button role="menuitem" onClick={() => download('sanctions-graph.svg', `data:image/svg+xml;charset=utf-8,${encodeURIComponent(canvas.current!.svg())}`)}>
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
