// Accessible tabs: a tablist whose arrow, Home and End keys move between tabs (WAI-ARIA pattern).
import { useRef, type ReactNode } from "react";

export interface Tab<K extends string> {
  readonly key: K;
  readonly label: string;
}

interface Props<K extends string> {
  readonly tabs: readonly Tab<K>[];
  readonly selected: K;
  readonly onSelect: (key: K) => void;
  readonly label: string;
  readonly idPrefix: string;
}

export function TabList<K extends string>({ tabs, selected, onSelect, label, idPrefix }: Props<K>) {
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  const move = (index: number) => {
    const i = (index + tabs.length) % tabs.length;
    onSelect(tabs[i]!.key);
    refs.current[i]?.focus();
  };
  return (
    <div role="tablist" aria-label={label} className="tablist">
      {tabs.map((t, i) => (
        <button
          key={t.key}
          ref={(el) => {
            refs.current[i] = el;
          }}
          role="tab"
          id={`${idPrefix}-tab-${t.key}`}
          aria-selected={t.key === selected}
          aria-controls={`${idPrefix}-panel-${t.key}`}
          tabIndex={t.key === selected ? 0 : -1}
          onClick={() => onSelect(t.key)}
          onKeyDown={(e) => {
            if (e.key === "ArrowRight") move(i + 1);
            else if (e.key === "ArrowLeft") move(i - 1);
            else if (e.key === "Home") move(0);
            else if (e.key === "End") move(tabs.length - 1);
            else return;
            e.preventDefault();
          }}
        >
          {t.label}
        </button>
      ))}
    </div>
  );
}

export function TabPanel({ idPrefix, tab, selected, children }: { idPrefix: string; tab: string; selected: boolean; children: ReactNode }) {
  return (
    <div role="tabpanel" id={`${idPrefix}-panel-${tab}`} aria-labelledby={`${idPrefix}-tab-${tab}`} hidden={!selected} tabIndex={0} className="tabpanel">
      {children}
    </div>
  );
}
