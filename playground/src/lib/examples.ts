// The contracts in contracts/ and the example settlement data, bundled at build time.

const contractFiles = import.meta.glob<string>("../../../contracts/**/*.pcmh", { query: "?raw", import: "default", eager: true });
const dataFiles = import.meta.glob<string>("../../../data/examples/regional/*.csv", { query: "?raw", import: "default", eager: true });

export interface Example {
  /** The path under contracts/, e.g. "examples/regional-pcmh.pcmh". */
  readonly id: string;
  readonly title: string;
  readonly text: string;
}

export const defaultExampleId = "examples/regional-pcmh.pcmh";

const titleOf = (text: string, id: string) => /contract\s+"([^"]*)"/.exec(text)?.[1] ?? id;

export const examples: readonly Example[] = Object.entries(contractFiles)
  .map(([path, text]) => {
    const id = path.replace(/^.*?contracts\//, "");
    return { id, title: titleOf(text, id), text };
  })
  .sort((a, b) => (a.id === defaultExampleId ? -1 : b.id === defaultExampleId ? 1 : a.id.localeCompare(b.id)));

export function exampleById(id: string | undefined): Example | undefined {
  return examples.find((e) => e.id === id);
}

/** The bundled data folder (data/examples/regional), table name -> CSV text. */
export const exampleData: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(dataFiles).map(([path, text]) => [path.replace(/^.*\//, "").replace(/\.csv$/, ""), text]),
);
