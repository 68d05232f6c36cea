/** Browser downloads: canvas images and server exports. */
import { exportFile, type ExportFormat } from './api';

export function download(name: string, href: string): void {
  const a = document.createElement('a');
  a.href = href;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
}

/**
 * Downloads the given nodes (and the relationships among them) through the server's export endpoint,
 * with the tab's API key (api.exportFile), as a file the browser saves from a blob: URL.
 */
export async function downloadExport(ids: string[], format: ExportFormat): Promise<void> {
  const { blob, name } = await exportFile(ids, format);
  const url = URL.createObjectURL(blob);
  download(name, url);
  // The download has started from the URL by now; it is let go a little later for slow browsers.
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}
