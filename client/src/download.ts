/** Browser downloads: canvas images and server exports. */

export function download(name: string, href: string): void {
  const a = document.createElement('a');
  a.href = href;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
}

/**
 * Downloads the given nodes (and the relationships among them) through the server's export endpoint.
 * A form POST, because a large canvas's ids do not fit in a URL.
 */
export function downloadExport(ids: string[], format: string): void {
  const form = document.createElement('form');
  form.method = 'POST';
  form.action = '/api/export';
  form.style.display = 'none';
  for (const [name, value] of [['ids', ids.join(',')], ['depth', '0'], ['format', format]]) {
    const input = document.createElement('input');
    input.type = 'hidden';
    input.name = name;
    input.value = value;
    form.appendChild(input);
  }
  document.body.appendChild(form);
  form.submit();
  form.remove();
}
