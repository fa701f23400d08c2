// Formatting exact decimal strings for people (no floating point on the way).

export function money(amount: string, options: { sign?: boolean } = {}): string {
  const negative = amount.startsWith("-");
  const [whole = "0", frac] = amount.replace(/^[-+]/, "").split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const body = `$${grouped}${frac !== undefined ? `.${frac}` : ""}`;
  return negative ? `−${body}` : options.sign && !/^[0.]*$/.test(whole + (frac ?? "")) ? `+${body}` : body;
}

/** A money amount rounded to whole dollars, for headline figures. */
export function dollars(amount: string, options: { sign?: boolean } = {}): string {
  const negative = amount.startsWith("-");
  const [whole = "0", frac = "0"] = amount.replace(/^[-+]/, "").split(".");
  let n = BigInt(whole);
  if (Number(`0.${frac}`) >= 0.5) n += 1n;
  return money(`${negative && n !== 0n ? "-" : ""}${n}`, options);
}

export function percent(fraction: string | number, places = 1): string {
  return `${(Number(fraction) * 100).toFixed(places)}%`;
}

/** The exact difference b − a of two decimal strings with two places. */
export function minus(b: string, a: string): string {
  const cents = (s: string) => {
    const negative = s.startsWith("-");
    const [w = "0", f = ""] = s.replace(/^[-+]/, "").split(".");
    const c = BigInt(w) * 100n + BigInt((f + "00").slice(0, 2));
    return negative ? -c : c;
  };
  const d = cents(b) - cents(a);
  const abs = (d < 0n ? -d : d).toString().padStart(3, "0");
  return `${d < 0n ? "-" : ""}${abs.slice(0, -2)}.${abs.slice(-2)}`;
}
