/**
 * Draws the caption of an image export (caption.ts) into the PNG or SVG of the canvas: a band under the
 * graph, and the caption as the file's metadata. Needs the DOM (the browser's canvas and XML parser).
 */
import { withPngText } from './caption';

export interface CaptionColors {
  background: string;
  text: string;
}

/** The SVG with a band under the drawing that holds the caption, and the caption as its <desc>. */
export function svgWithCaption(svg: string, caption: string, colors: CaptionColors): string {
  const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
  const root = doc.documentElement;
  const ns = 'http://www.w3.org/2000/svg';
  const width = Number.parseFloat(root.getAttribute('width') ?? '') || 800;
  const height = Number.parseFloat(root.getAttribute('height') ?? '') || 600;
  const band = 32;
  // Room for the caption on a small graph (about 6.5 px a character at 12 px).
  const captionWidth = Math.ceil(caption.length * 6.5 + 20);
  if (captionWidth > width) root.setAttribute('width', String(captionWidth));
  root.setAttribute('height', String(height + band));
  const viewBox = root.getAttribute('viewBox');
  if (viewBox) {
    const [x, y, w, h] = viewBox.split(/[\s,]+/).map(Number);
    root.setAttribute('viewBox', `${x} ${y} ${w} ${h + band * (h / height)}`);
  }
  const desc = doc.createElementNS(ns, 'desc');
  desc.textContent = caption;
  root.insertBefore(desc, root.firstChild);
  const rect = doc.createElementNS(ns, 'rect');
  for (const [k, v] of Object.entries({ x: '0', y: String(height), width: String(Math.max(width, captionWidth)), height: String(band), fill: colors.background })) rect.setAttribute(k, v);
  const text = doc.createElementNS(ns, 'text');
  for (const [k, v] of Object.entries({ x: '10', y: String(height + band / 2 + 4), fill: colors.text, 'font-family': 'system-ui, sans-serif', 'font-size': '12', class: 'caption' })) text.setAttribute(k, v);
  text.textContent = caption;
  root.appendChild(rect);
  root.appendChild(text);
  return new XMLSerializer().serializeToString(doc);
}

/** The PNG (a data: URI) redrawn with a caption band under it, and the caption in a tEXt chunk; a data: URI. */
export async function pngWithCaption(dataUri: string, caption: string, colors: CaptionColors, scale = 2): Promise<string> {
  const img = new Image();
  img.src = dataUri;
  await img.decode();
  const band = 32 * scale;
  const font = `${12 * scale}px system-ui, sans-serif`;
  const canvas = document.createElement('canvas');
  const ctx = canvas.getContext('2d')!;
  ctx.font = font;
  // As wide as the caption needs: a small graph's picture would squeeze it unreadable.
  const width = Math.ceil(Math.max(img.naturalWidth, ctx.measureText(caption).width + 20 * scale));
  canvas.width = width;
  canvas.height = img.naturalHeight + band;
  ctx.fillStyle = colors.background;
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.drawImage(img, Math.floor((width - img.naturalWidth) / 2), 0);
  ctx.fillStyle = colors.text;
  ctx.font = font; // resizing the canvas reset the context's state
  ctx.textBaseline = 'middle';
  ctx.fillText(caption, 10 * scale, img.naturalHeight + band / 2);
  const blob = await new Promise<Blob>((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('the browser could not encode the PNG'))), 'image/png'));
  const png = withPngText(new Uint8Array(await blob.arrayBuffer()), 'Description', caption);
  let binary = '';
  for (let i = 0; i < png.length; i += 0x8000) binary += String.fromCharCode(...png.subarray(i, i + 0x8000));
  return `data:image/png;base64,${btoa(binary)}`;
}
