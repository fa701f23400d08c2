// MULTI-WORD NAMES
//
// The only names that span several words are the built-in quantities (`member risk score`) and
// the fixed phrases of attribution. Declared names are single words (`share_rate`), so a name in
// an expression extends over the next word only while it still spells the start of a built-in
// phrase. That keeps `-> base_rate` followed by a row `low_cut up to …` two names, not one.

export const builtinPhrases: readonly string[] = [
  "member months",
  "member risk score",
  "member age",
  "member lob",
  "practice risk group",
  "practice recognition level",
  "claim units",
  "attributed members",
  "average risk score",
  "baseline risk score",
  "baseline member months",
  "total cost",
  "ed visits",
  "office visits",
  "measures scored",
];

const phrases = new Set(builtinPhrases);
const prefixes = new Set<string>();
for (const phrase of builtinPhrases) {
  const words = phrase.split(" ");
  for (let i = 2; i <= words.length; i++) prefixes.add(words.slice(0, i).join(" "));
}

/** Whether `next` continues `sofar` towards a built-in phrase. */
export function continuesPhrase(sofar: string, next: string): boolean {
  return prefixes.has(`${sofar} ${next}`);
}

/** Whether `sofar` has run over two or more words of a built-in phrase and stopped short of its end. */
export function unfinishedPhrase(sofar: string): boolean {
  return prefixes.has(sofar) && !phrases.has(sofar);
}
