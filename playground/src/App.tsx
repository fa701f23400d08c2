// THE PLAYGROUND
//
// Left: the contract in Monaco with its problems. Right: the negotiable parameters, then the
// simulation and the settlement. Everything a share link needs (the text, the example it came
// from, the parameters and the simulation settings) lives in this component's state.

import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { Diagnostic } from "../../grammar/src";
import { ParametersPanel } from "./components/ParametersPanel";
import { Problems } from "./components/Problems";
import { SettlementPanel } from "./components/SettlementPanel";
import { SimulationPanel } from "./components/SimulationPanel";
import { TabList, TabPanel } from "./components/Tabs";
import { ContractEditor, type AnalysisEvent, type EditorHandle } from "./editor/ContractEditor";
import { registerLanguageProviders } from "./editor/providers";
import { download } from "./lib/download";
import { exampleById, examples } from "./lib/examples";
import { overrideText, problemWith } from "./lib/params";
import { shareUrl } from "./lib/share";
import type { SimSettings } from "./lib/settings";
import { tabs, type SharedState, type TabKey } from "./lib/state";
import { generateData, prepareSimulation } from "./lib/simulation";
import { serviceClient, settleClient } from "./lib/workers";
import type { ContractInfo } from "./workers/service.worker";

export function App({ initial }: { initial: SharedState }) {
  const editor = useRef<EditorHandle>(null);
  const [exampleId, setExampleId] = useState(initial.example);
  const [originalText, setOriginalText] = useState(() => exampleById(initial.example)?.text ?? initial.text);
  const [analysed, setAnalysed] = useState<AnalysisEvent | undefined>();
  const [contract, setContract] = useState<ContractInfo | undefined>();
  const [params, setParams] = useState<Record<string, string>>(initial.params);
  const [settings, setSettings] = useState<SimSettings>(initial.sim);
  const [tab, setTab] = useState<TabKey>(initial.tab);
  const [compare, setCompare] = useState(initial.compare);
  const [shareMessage, setShareMessage] = useState<string | undefined>();
  const [exportProblem, setExportProblem] = useState<string | undefined>();

  // The language's providers, registered once for the page (not per editor, so suggestions never
  // multiply) and removed when the playground unmounts.
  useEffect(() => {
    const providers = registerLanguageProviders(serviceClient);
    return () => providers.dispose();
  }, []);

  const onAnalysis = useCallback((event: AnalysisEvent) => {
    setAnalysed(event);
    if (event.analysis.contract) setContract(event.analysis.contract);
  }, []);

  const text = analysed?.text ?? initial.text;
  const compiles = analysed ? analysed.analysis.contract !== undefined : false;
  const diagnostics: readonly Diagnostic[] = analysed?.analysis.diagnostics ?? [];

  // When the example or the population changes (once the settings rest), idle simulation workers
  // get ready in the background, so a run does not start cold (the page's entry prepares them for
  // the state it opens with). A run that starts meanwhile waits for at most one warm-up trial.
  const prepareKey = JSON.stringify([exampleId, settings.preset, settings.members, settings.seed, settings.effects]);
  const opened = useRef(prepareKey);
  useEffect(() => {
    if (prepareKey === opened.current) return;
    const timer = setTimeout(() => prepareSimulation(text, settings), 400);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [prepareKey]);

  /** The overrides the engine takes: changed parameters that exist in the contract and are valid. */
  const overrides = useMemo(() => {
    const out: Record<string, string> = {};
    for (const spec of contract?.parameters ?? []) {
      const t = params[spec.name];
      if (t !== undefined && !problemWith(spec, t)) out[spec.name] = overrideText(spec, t);
    }
    return out;
  }, [contract, params]);

  const chooseExample = (id: string) => {
    const example = exampleById(id);
    if (!example) return;
    setExampleId(id);
    setOriginalText(example.text);
    setParams({});
    setContract(undefined);
    editor.current?.setText(example.text);
  };

  const share = async () => {
    const state: SharedState = { v: 1, example: exampleId, text: editor.current?.getText() ?? text, params, sim: settings, tab, compare };
    const url = await shareUrl(state);
    history.replaceState(null, "", url);
    try {
      await navigator.clipboard.writeText(url);
      setShareMessage("Link copied. It carries the contract and every setting; nothing is stored on a server.");
    } catch {
      setShareMessage("The link is in the address bar. It carries the contract and every setting; nothing is stored on a server.");
    }
  };

  const formatDocument = async () => {
    const current = editor.current?.getText() ?? text;
    const formatted = await serviceClient.call("format", [current]);
    if (formatted === undefined) return setExportProblem("I can't format a contract with syntax errors; fix them first.");
    setExportProblem(undefined);
    editor.current?.format();
  };

  const exportTs = async () => {
    const result = await settleClient.call("emitTypeScript", [editor.current?.getText() ?? text]);
    if (!result.ok) return setExportProblem(result.error);
    setExportProblem(undefined);
    download(result.file, result.source, "text/typescript");
  };

  useEffect(() => {
    if (!shareMessage) return;
    const timer = setTimeout(() => setShareMessage(undefined), 8000);
    return () => clearTimeout(timer);
  }, [shareMessage]);

  return (
    <div className="app">
      <a className="skip-link" href="#analyses">
        Skip to parameters and analyses
      </a>
      <header className="topbar">
        <h1>PCMH contract playground</h1>
        <label className="example-picker">
          Example{" "}
          <select value={exampleId} onChange={(e) => chooseExample(e.target.value)} data-testid="example-picker">
            {examples.map((e) => (
              <option key={e.id} value={e.id}>
                {e.title} ({e.id})
              </option>
            ))}
          </select>
        </label>
        <div className="toolbar">
          <button type="button" onClick={() => void formatDocument()} title="Format document (Shift+Alt+F in the editor)">
            Format
          </button>
          <button type="button" onClick={() => void exportTs()} disabled={!compiles}>
            Export TypeScript module
          </button>
          <button type="button" onClick={() => void share()} data-testid="share">
            Share link
          </button>
        </div>
        <div className="toast" role="status" aria-live="polite">
          {shareMessage ?? exportProblem ?? ""}
        </div>
      </header>
      <main className="workspace">
        <section className="editor-column" aria-label="Contract editor">
          <div className="contract-title" data-testid="contract-title">
            {contract ? `${contract.title} ${contract.version}` : analysed && !compiles ? "The contract does not compile yet" : "Checking…"}
            {text !== originalText && <span className="badge">edited</span>}
          </div>
          <ContractEditor ref={editor} initialText={initial.text} client={serviceClient} onAnalysis={onAnalysis} />
          <Problems diagnostics={diagnostics} text={text} onSelect={(offset) => editor.current?.reveal(offset)} {...(analysed ? { ms: analysed.analysis.ms } : {})} />
        </section>
        <section className="side-column" aria-label="Parameters, simulation and settlement" id="analyses" tabIndex={-1}>
          <ParametersPanel
            parameters={contract?.parameters ?? []}
            values={params}
            stale={!compiles && contract !== undefined}
            onChange={(name, value) =>
              setParams((p) => {
                const next = { ...p };
                if (value === undefined) delete next[name];
                else next[name] = value;
                return next;
              })
            }
          />
          <TabList tabs={tabs} selected={tab} onSelect={setTab} label="Analyses" idPrefix="analysis" />
          <TabPanel idPrefix="analysis" tab="simulation" selected={tab === "simulation"}>
            <SimulationPanel
              text={text}
              originalText={originalText}
              compiles={compiles}
              contract={contract}
              overrides={overrides}
              settings={settings}
              onSettings={setSettings}
              compare={compare}
              onCompare={setCompare}
            />
          </TabPanel>
          <TabPanel idPrefix="analysis" tab="settlement" selected={tab === "settlement"}>
            <SettlementPanel text={text} compiles={compiles} overrides={overrides} generate={() => generateData(text, settings)} />
          </TabPanel>
        </section>
      </main>
    </div>
  );
}
