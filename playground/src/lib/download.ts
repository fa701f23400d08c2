// Files for the user: CSV text, and a download without a server.

export function csvRow(cells: readonly (string | number | undefined)[]): string {
  return cells
    .map((c) => {
      const s = c === undefined ? "" : String(c);
      return /[",\r\n]/.test(s) || /^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
    })
    .join(",");
}

export function csv(rows: readonly (readonly (string | number | undefined)[])[]): string {
  return rows.map(csvRow).join("\r\n") + "\r\n";
}

export function download(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
