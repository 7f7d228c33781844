// Offers bytes as a download (an <a download> over a blob URL): the key file and the project secret
// go wherever the user's browser saves downloads, never into the package folder.

export function offerDownload(name: string, bytes: Uint8Array | string, type: string): void {
  const blob = new Blob([bytes as Uint8Array<ArrayBuffer> | string], { type });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.rel = 'noopener';
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // The download has started from the click; the URL is released once the browser has it.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
