// PARSER
//
// A chevrotain CstParser over the tokens of `tokens.ts`, with error recovery switched on: any token
// sequence yields a (possibly partial) CST plus recognition errors. One instance is shared and
// reset per parse. Grammar conventions: a declaration starts with a hard keyword; its items
// follow in any order, each starting with a hard keyword; expressions stop at the first token
// that cannot continue them, so no terminators are needed.
//
// Performance: chevrotain records the grammar once (in `performSelfAnalysis`) and then re-runs each
// rule body on every invocation, so a rule body must not build anything per call that it could
// build once. The alternatives of every `OR` are built on first use and kept in `alts` (one entry
// per OR site; they capture nothing but the parser), and the only rule with state of its own,
// `reference`, keeps it on the parser (`phraseSoFar`) so that its gates are built once too. CST
// nodes carry offset locations, from which the AST builder reads every span, and keep their
// children in plain objects (see `cstInvocationStateUpdate`).

import { CstParser, type CstNode, type IOrAlt } from "chevrotain";
import { errorMessageProvider } from "./messages";
import { continuesPhrase, unfinishedPhrase } from "./phrases";
import * as t from "./tokens";

export class ContractParser extends CstParser {
  constructor() {
    super(t.allTokens, { recoveryEnabled: true, nodeLocationTracking: "onlyOffset", maxLookahead: 4, errorMessageProvider });
    this.performSelfAnalysis();
  }

  /** Chevrotain's stack of the CST nodes being built (not in its published types). */
  declare private CST_STACK: CstNode[];

  /**
   * Opens the CST node of a rule invocation: chevrotain's own `cstInvocationStateUpdate` (11.2)
   * with `children` as a plain object instead of `Object.create(null)`, which V8 keeps as a hash
   * table; at one node per rule invocation that doubled the CST's memory and the parse time. Safe
   * because children are only ever looked up by rule, token and label names, none of which is a
   * property of `Object.prototype`. The location starts empty, as for `onlyOffset` with recovery.
   */
  cstInvocationStateUpdate(fullRuleName: string): void {
    this.CST_STACK.push({ name: fullRuleName, children: {}, location: { startOffset: NaN, endOffset: NaN } });
  }

  /** The alternatives of each OR site, named after its rule and OR index, built on first use. */
  private readonly alts: Record<string, IOrAlt<unknown>[] | undefined> = {};

  // CONTRACT AND HEADER

  contract = this.RULE("contract", () => {
    this.OPTION(() => {
      this.CONSUME(t.Contract);
      this.CONSUME(t.StringLiteral, { LABEL: "title" });
      this.OPTION2(() => {
        this.CONSUME(t.Version);
        this.CONSUME2(t.StringLiteral, { LABEL: "version" });
      });
    });
    this.MANY(() => this.SUBRULE(this.headerItem));
    this.MANY2(() => this.SUBRULE(this.decl));
  });

  headerItem = this.RULE("headerItem", () => {
    this.OR(this.alts.headerItem ??= [
      { ALT: () => this.SUBRULE(this.payerItem) },
      { ALT: () => this.SUBRULE(this.careTeamItem) },
      { ALT: () => this.SUBRULE(this.termItem) },
      { ALT: () => this.SUBRULE(this.scheduleItem) },
      { ALT: () => this.SUBRULE(this.currencyItem) },
      { ALT: () => this.SUBRULE(this.roundingItem) },
    ]);
  });

  payerItem = this.RULE("payerItem", () => {
    this.CONSUME(t.Payer);
    this.CONSUME(t.StringLiteral);
    this.OPTION(() => this.SUBRULE(this.citation));
  });

  careTeamItem = this.RULE("careTeamItem", () => {
    this.CONSUME(t.Community);
    this.CONSUME(t.Care);
    this.CONSUME(t.Team);
    this.CONSUME(t.StringLiteral);
    this.OPTION(() => this.SUBRULE(this.citation));
  });

  termItem = this.RULE("termItem", () => {
    this.CONSUME(t.Term);
    this.SUBRULE(this.atom, { LABEL: "from" });
    this.CONSUME(t.To);
    this.SUBRULE2(this.atom, { LABEL: "to" });
  });

  scheduleItem = this.RULE("scheduleItem", () => {
    this.OR(this.alts.scheduleItem ??= [
      {
        ALT: () => {
          this.CONSUME(t.Fees);
          this.CONSUME(t.Paid);
          this.SUBRULE(this.frequency, { LABEL: "feesPaid" });
          this.OPTION(() => {
            this.CONSUME(t.Comma);
            this.CONSUME(t.Settled);
            this.SUBRULE2(this.frequency, { LABEL: "settled" });
          });
        },
      },
      {
        ALT: () => {
          this.CONSUME2(t.Settled);
          this.SUBRULE3(this.frequency, { LABEL: "settled" });
        },
      },
    ]);
  });

  frequency = this.RULE("frequency", () => {
    this.OR(this.alts.frequency ??= [{ ALT: () => this.CONSUME(t.Monthly) }, { ALT: () => this.CONSUME(t.Quarterly) }, { ALT: () => this.CONSUME(t.Annually) }]);
  });

  currencyItem = this.RULE("currencyItem", () => {
    this.CONSUME(t.Currency);
    this.CONSUME(t.NameWord);
  });

  roundingItem = this.RULE("roundingItem", () => {
    this.CONSUME(t.Rounding);
    this.OR(this.alts.roundingItem ??= [
      { ALT: () => this.CONSUME(t.HalfEven) },
      { ALT: () => this.CONSUME(t.HalfUp) },
      { ALT: () => this.CONSUME(t.HalfDown) },
      { ALT: () => this.CONSUME(t.Up) },
      { ALT: () => this.CONSUME(t.Down) },
    ]);
    this.CONSUME(t.To);
    this.OR2(this.alts.roundingItem2 ??= [{ ALT: () => this.CONSUME(t.Cents) }, { ALT: () => this.CONSUME(t.Dollars) }]);
  });

  citation = this.RULE("citation", () => {
    this.CONSUME(t.Cite);
    this.CONSUME(t.StringLiteral);
  });

  // DECLARATIONS

  decl = this.RULE("decl", () => {
    this.OR(this.alts.decl ??= [
      { ALT: () => this.SUBRULE(this.parameterDecl) },
      { ALT: () => this.SUBRULE(this.valueDecl) },
      { ALT: () => this.SUBRULE(this.tableDecl) },
      { ALT: () => this.SUBRULE(this.panelDecl) },
      { ALT: () => this.SUBRULE(this.attributionDecl) },
      { ALT: () => this.SUBRULE(this.claimFeeDecl) },
      { ALT: () => this.SUBRULE(this.pmpmFeeDecl) },
      { ALT: () => this.SUBRULE(this.incentiveDecl) },
      { ALT: () => this.SUBRULE(this.sharedSavingsDecl) },
      { ALT: () => this.SUBRULE(this.adjustmentDecl) },
      { ALT: () => this.SUBRULE(this.withholdDecl) },
      { ALT: () => this.SUBRULE(this.scorecardDecl) },
      { ALT: () => this.SUBRULE(this.amendmentDecl) },
    ]);
  });

  /** A declared name: one word. */
  name = this.RULE("name", () => {
    this.CONSUME(t.NameWord);
  });

  /** A fixed phrase of several words, read up to the next keyword (attribution basis, tie breaker, allocation basis). */
  phrase = this.RULE("phrase", () => {
    this.AT_LEAST_ONE(() => this.CONSUME(t.NameWord));
  });

  /** A name in an expression: one word, or a built-in phrase such as `member risk score`. */
  reference = this.RULE("reference", () => {
    this.phraseSoFar = this.CONSUME(t.NameWord).image;
    this.MANY(this.phraseContinues);
    // `member risk scor`: a phrase cut short is no name at all, so its next word is taken as a
    // misspelling of the phrase's end, and the checker suggests the phrase.
    this.OPTION(this.phraseCutShort);
  });

  /** The words of the reference being read, joined by single spaces (`reference` calls no rule, so this never nests). */
  private phraseSoFar = "";

  private readonly phraseContinues = {
    GATE: () => continuesPhrase(this.phraseSoFar, this.LA(1).image),
    DEF: () => {
      this.phraseSoFar += " " + this.CONSUME2(t.NameWord).image;
    },
  };

  private readonly phraseCutShort = {
    GATE: () => unfinishedPhrase(this.phraseSoFar),
    DEF: () => {
      this.phraseSoFar += " " + this.CONSUME3(t.NameWord).image;
    },
  };

  parameterDecl = this.RULE("parameterDecl", () => {
    this.CONSUME(t.Parameter);
    this.SUBRULE(this.name);
    this.OPTION(() => {
      this.CONSUME(t.Colon);
      this.CONSUME(t.Identifier, { LABEL: "unit" });
    });
    this.OPTION2(() => {
      this.CONSUME(t.Equals);
      this.SUBRULE(this.expr, { LABEL: "value" });
    });
    this.OPTION3(() => {
      this.CONSUME(t.Range);
      this.SUBRULE2(this.expr, { LABEL: "low" });
      this.CONSUME(t.To);
      this.SUBRULE3(this.expr, { LABEL: "high" });
    });
    this.OPTION4(() => this.SUBRULE(this.citation));
    this.MANY(() => this.SUBRULE(this.effectiveValue));
  });

  effectiveValue = this.RULE("effectiveValue", () => {
    this.CONSUME(t.Effective);
    this.SUBRULE(this.atom, { LABEL: "date" });
    this.CONSUME(t.Equals);
    this.SUBRULE(this.expr, { LABEL: "value" });
  });

  valueDecl = this.RULE("valueDecl", () => {
    this.CONSUME(t.Value);
    this.SUBRULE(this.name);
    this.OPTION(() => {
      this.CONSUME(t.Equals);
      this.SUBRULE(this.expr, { LABEL: "value" });
    });
    this.OPTION2(() => this.SUBRULE(this.hitPolicy));
    this.MANY(() => this.SUBRULE(this.valueCase));
    this.OPTION3(() => this.SUBRULE(this.citation));
  });

  valueCase = this.RULE("valueCase", () => {
    this.OR(this.alts.valueCase ??= [
      {
        ALT: () => {
          this.CONSUME(t.When);
          this.SUBRULE(this.expr, { LABEL: "condition" });
        },
      },
      { ALT: () => this.CONSUME(t.Otherwise) },
    ]);
    this.CONSUME(t.Arrow);
    this.SUBRULE2(this.expr, { LABEL: "result" });
  });

  hitPolicy = this.RULE("hitPolicy", () => {
    this.CONSUME(t.Hit);
    this.CONSUME(t.Policy);
    this.OR(this.alts.hitPolicy ??= [{ ALT: () => this.CONSUME(t.Unique) }, { ALT: () => this.CONSUME(t.First) }]);
  });

  tableDecl = this.RULE("tableDecl", () => {
    this.CONSUME(t.Table);
    this.SUBRULE(this.name);
    this.SUBRULE(this.tierTable);
    this.OPTION(() => this.SUBRULE(this.citation));
  });

  tierTable = this.RULE("tierTable", () => {
    this.CONSUME(t.By);
    this.SUBRULE(this.expr, { LABEL: "key" });
    this.OPTION(() => this.SUBRULE(this.hitPolicy));
    this.OPTION2(() => this.CONSUME(t.Interpolated));
    this.AT_LEAST_ONE(() => this.SUBRULE(this.tableRow));
  });

  tableRow = this.RULE("tableRow", () => {
    this.OR(this.alts.tableRow ??= [
      {
        ALT: () => {
          this.CONSUME(t.Below);
          this.SUBRULE(this.bound, { LABEL: "bound" });
        },
      },
      {
        ALT: () => {
          this.CONSUME(t.Above);
          this.SUBRULE2(this.bound, { LABEL: "bound" });
        },
      },
      { ALT: () => this.CONSUME(t.Otherwise) },
      {
        ALT: () => {
          this.SUBRULE3(this.bound, { LABEL: "low" });
          this.OPTION(() =>
            this.OR2(this.alts.tableRow2 ??= [
              {
                ALT: () => {
                  this.CONSUME(t.To);
                  this.SUBRULE4(this.bound, { LABEL: "high" });
                },
              },
              {
                ALT: () => {
                  this.CONSUME(t.Up);
                  this.CONSUME2(t.To);
                  this.SUBRULE5(this.bound, { LABEL: "highExclusive" });
                },
              },
              {
                ALT: () => {
                  this.CONSUME(t.And);
                  this.CONSUME2(t.Above);
                },
              },
              {
                ALT: () =>
                  this.AT_LEAST_ONE(() => {
                    this.CONSUME(t.Comma);
                    this.SUBRULE6(this.bound, { LABEL: "more" });
                  }),
              },
            ]),
          );
        },
      },
    ]);
    this.CONSUME(t.Arrow);
    this.SUBRULE(this.expr, { LABEL: "result" });
    this.OPTION2(() => {
      this.CONSUME3(t.To);
      this.SUBRULE2(this.expr, { LABEL: "resultHigh" });
    });
  });

  panelDecl = this.RULE("panelDecl", () => {
    this.CONSUME(t.Panel);
    this.OPTION(() => this.CONSUME(t.Virtual));
    this.CONSUME(t.Physicians);
    this.SUBRULE(this.atom, { LABEL: "low" });
    this.CONSUME(t.To);
    this.SUBRULE2(this.atom, { LABEL: "high" });
    this.MANY(() => this.SUBRULE(this.clauseOption));
  });

  attributionDecl = this.RULE("attributionDecl", () => {
    this.CONSUME(t.Attribution);
    this.OR(this.alts.attributionDecl ??= [
      {
        ALT: () => {
          this.CONSUME(t.By);
          this.CONSUME(t.Plurality);
          this.CONSUME(t.Of);
          this.SUBRULE(this.phrase, { LABEL: "basis" });
          this.CONSUME(t.Over);
          this.SUBRULE(this.atom, { LABEL: "lookback" });
          this.CONSUME(t.Months);
        },
      },
      {
        ALT: () => {
          this.CONSUME(t.From);
          this.CONSUME(t.Roster);
        },
      },
    ]);
    this.MANY(() =>
      this.OR2(this.alts.attributionDecl2 ??= [
        {
          ALT: () => {
            this.CONSUME(t.Tie);
            this.CONSUME(t.Breaker);
            this.SUBRULE2(this.phrase, { LABEL: "tieBreaker" });
          },
        },
        {
          ALT: () => {
            this.CONSUME(t.Designation);
            this.CONSUME(t.First);
          },
        },
        {
          ALT: () => {
            this.CONSUME(t.On);
            this.CONSUME(t.Codes);
            this.SUBRULE(this.codeList);
          },
        },
        { ALT: () => this.SUBRULE(this.citation) },
      ]),
    );
  });

  codeList = this.RULE("codeList", () => {
    this.SUBRULE(this.codeItem);
    this.MANY(() => {
      this.CONSUME(t.Comma);
      this.SUBRULE2(this.codeItem);
    });
  });

  codeItem = this.RULE("codeItem", () => {
    this.SUBRULE(this.codeAtom, { LABEL: "from" });
    this.OPTION(() => {
      this.CONSUME(t.Minus);
      this.SUBRULE2(this.codeAtom, { LABEL: "to" });
    });
  });

  codeAtom = this.RULE("codeAtom", () => {
    this.OR(this.alts.codeAtom ??= [
      { ALT: () => this.CONSUME(t.NumberLiteral) },
      { ALT: () => this.CONSUME(t.Identifier) },
      { ALT: () => this.CONSUME(t.StringLiteral) },
    ]);
  });

  claimFeeDecl = this.RULE("claimFeeDecl", () => {
    this.OR(this.alts.claimFeeDecl ??= [
      {
        ALT: () => {
          this.CONSUME(t.Fee);
          this.CONSUME(t.Enhancement);
        },
      },
      {
        ALT: () => {
          this.CONSUME(t.Visit);
          this.CONSUME2(t.Fee);
        },
      },
    ]);
    this.CONSUME(t.StringLiteral, { LABEL: "title" });
    this.CONSUME(t.On);
    this.CONSUME(t.Codes);
    this.SUBRULE(this.codeList);
    this.MANY(() => this.OR2(this.alts.claimFeeDecl2 ??= [{ ALT: () => this.SUBRULE(this.payItem) }, { ALT: () => this.SUBRULE(this.clauseOption) }]));
  });

  payItem = this.RULE("payItem", () => {
    this.CONSUME(t.Pay);
    this.OPTION(() => {
      this.CONSUME(t.In);
      this.CONSUME(t.Advance);
    });
    this.SUBRULE(this.expr);
  });

  pmpmFeeDecl = this.RULE("pmpmFeeDecl", () => {
    this.OR(this.alts.pmpmFeeDecl ??= [
      {
        ALT: () => {
          this.CONSUME(t.Care);
          this.CONSUME(t.Management);
          this.CONSUME(t.Fee);
        },
      },
      {
        ALT: () => {
          this.CONSUME(t.Monthly);
          this.CONSUME2(t.Fee);
        },
      },
    ]);
    this.CONSUME(t.StringLiteral, { LABEL: "title" });
    this.MANY(() =>
      this.OR2(this.alts.pmpmFeeDecl2 ??= [
        { ALT: () => this.SUBRULE(this.payItem) },
        { ALT: () => this.SUBRULE(this.tierTable) },
        { ALT: () => this.SUBRULE(this.clauseOption) },
      ]),
    );
  });

  incentiveDecl = this.RULE("incentiveDecl", () => {
    this.CONSUME(t.Incentive);
    this.CONSUME(t.StringLiteral, { LABEL: "title" });
    this.MANY(() =>
      this.OR(this.alts.incentiveDecl ??= [
        { ALT: () => this.SUBRULE(this.payItem) },
        {
          ALT: () => {
            this.CONSUME(t.Earned);
            this.SUBRULE(this.expr, { LABEL: "earned" });
          },
        },
        { ALT: () => this.SUBRULE(this.clauseOption) },
      ]),
    );
  });

  sharedSavingsDecl = this.RULE("sharedSavingsDecl", () => {
    this.CONSUME(t.Shared);
    this.CONSUME(t.Savings);
    this.CONSUME(t.StringLiteral, { LABEL: "title" });
    this.MANY(() => this.OR(this.alts.sharedSavingsDecl ??= [{ ALT: () => this.SUBRULE(this.savingsTerm) }, { ALT: () => this.SUBRULE(this.clauseOption) }]));
  });

  savingsTerm = this.RULE("savingsTerm", () => {
    this.OR(this.alts.savingsTerm ??= [
      {
        ALT: () => {
          this.CONSUME(t.Benchmark);
          this.SUBRULE(this.expr, { LABEL: "benchmark" });
        },
      },
      {
        ALT: () => {
          this.CONSUME(t.Expenditure);
          this.SUBRULE2(this.expr, { LABEL: "expenditure" });
        },
      },
      {
        ALT: () => {
          this.CONSUME(t.Truncate);
          this.CONSUME(t.Costs);
          this.CONSUME(t.Per);
          this.CONSUME(t.Member);
          this.CONSUME(t.Above);
          this.SUBRULE3(this.expr, { LABEL: "truncate" });
        },
      },
      {
        ALT: () => {
          this.CONSUME(t.Stop);
          this.CONSUME(t.Loss);
          this.CONSUME2(t.Per);
          this.CONSUME2(t.Member);
          this.CONSUME2(t.Above);
          this.SUBRULE4(this.expr, { LABEL: "stopLoss" });
          this.OPTION(() => {
            this.CONSUME(t.Covering);
            this.SUBRULE5(this.expr, { LABEL: "covering" });
          });
        },
      },
      {
        ALT: () => {
          this.CONSUME(t.Minimum);
          this.OR2(this.alts.savingsTerm2 ??= [
            { ALT: () => this.CONSUME(t.Savings, { LABEL: "savingsSide" }) },
            { ALT: () => this.CONSUME2(t.Loss, { LABEL: "lossSide" }) },
          ]);
          this.CONSUME(t.Rate);
          this.SUBRULE6(this.expr, { LABEL: "minimumRate" });
        },
      },
      {
        ALT: () => {
          this.CONSUME(t.Share);
          this.OPTION2(() => this.CONSUME(t.Losses, { LABEL: "lossSide" }));
          this.SUBRULE7(this.expr, { LABEL: "shareRate" });
          this.OPTION3(() =>
            this.OR3(this.alts.savingsTerm3 ??= [
              {
                ALT: () => {
                  this.CONSUME(t.From);
                  this.CONSUME(t.First);
                  this.CONSUME(t.Dollar);
                },
              },
              {
                ALT: () => {
                  this.CONSUME3(t.Above);
                  this.CONSUME2(t.Minimum, { LABEL: "aboveMinimum" });
                },
              },
            ]),
          );
        },
      },
      {
        ALT: () => {
          this.CONSUME(t.Cap);
          this.CONSUME2(t.Savings);
          this.CONSUME(t.At);
          this.SUBRULE8(this.expr, { LABEL: "cap" });
        },
      },
      {
        ALT: () => {
          this.CONSUME(t.Limit);
          this.CONSUME2(t.Losses);
          this.CONSUME(t.To);
          this.SUBRULE9(this.expr, { LABEL: "limit" });
        },
      },
      {
        ALT: () => {
          this.CONSUME(t.Corridor);
          this.AT_LEAST_ONE(() => this.SUBRULE(this.tableRow));
        },
      },
      {
        ALT: () => {
          this.CONSUME(t.Reduce);
          this.CONSUME3(t.Savings);
          this.CONSUME(t.By);
          this.SUBRULE(this.bounded, { LABEL: "reduceBy" });
          this.OPTION4(() => this.CONSUME(t.StringLiteral, { LABEL: "reason" }));
        },
      },
    ]);
  });

  adjustmentDecl = this.RULE("adjustmentDecl", () => {
    this.CONSUME(t.Adjustment);
    this.CONSUME(t.StringLiteral, { LABEL: "title" });
    this.CONSUME(t.Of);
    this.CONSUME2(t.StringLiteral, { LABEL: "target" });
    this.MANY(() =>
      this.OR(this.alts.adjustmentDecl ??= [
        {
          ALT: () => {
            this.CONSUME(t.By);
            this.SUBRULE(this.expr, { LABEL: "by" });
          },
        },
        {
          ALT: () => {
            this.CONSUME(t.Bounded);
            this.SUBRULE2(this.expr, { LABEL: "low" });
            this.CONSUME(t.To);
            this.SUBRULE3(this.expr, { LABEL: "high" });
          },
        },
        { ALT: () => this.SUBRULE(this.clauseOption) },
      ]),
    );
  });

  withholdDecl = this.RULE("withholdDecl", () => {
    this.CONSUME(t.Withhold);
    this.CONSUME(t.StringLiteral, { LABEL: "title" });
    this.SUBRULE(this.atom, { LABEL: "percent" });
    this.CONSUME(t.Of);
    this.CONSUME2(t.StringLiteral, { LABEL: "target" });
    this.MANY(() =>
      this.OR(this.alts.withholdDecl ??= [
        {
          ALT: () => {
            this.CONSUME(t.Returned);
            this.SUBRULE(this.expr, { LABEL: "returned" });
          },
        },
        { ALT: () => this.SUBRULE(this.clauseOption) },
      ]),
    );
  });

  scorecardDecl = this.RULE("scorecardDecl", () => {
    this.CONSUME(t.Scorecard);
    this.SUBRULE(this.name);
    this.OPTION(() => this.CONSUME(t.StringLiteral, { LABEL: "title" }));
    this.MANY(() => this.OR(this.alts.scorecardDecl ??= [{ ALT: () => this.SUBRULE(this.measureDecl) }, { ALT: () => this.SUBRULE(this.clauseOption) }]));
  });

  measureDecl = this.RULE("measureDecl", () => {
    this.CONSUME(t.Measure);
    this.SUBRULE(this.name);
    this.OPTION(() => this.CONSUME(t.StringLiteral, { LABEL: "title" }));
    this.CONSUME(t.Equals);
    this.SUBRULE(this.expr, { LABEL: "source" });
    this.MANY(() =>
      this.OR(this.alts.measureDecl ??= [
        {
          ALT: () => {
            this.OR2(this.alts.measureDecl2 ??= [{ ALT: () => this.CONSUME(t.Higher) }, { ALT: () => this.CONSUME(t.Lower) }]);
            this.CONSUME(t.Is);
            this.CONSUME(t.Better);
          },
        },
        {
          ALT: () => {
            this.CONSUME(t.Weight);
            this.SUBRULE2(this.expr, { LABEL: "weight" });
          },
        },
        {
          ALT: () => {
            this.CONSUME(t.Minimum);
            this.CONSUME(t.Denominator);
            this.SUBRULE3(this.expr, { LABEL: "minimumDenominator" });
          },
        },
        { ALT: () => this.SUBRULE(this.scoring) },
        { ALT: () => this.SUBRULE(this.citation) },
      ]),
    );
  });

  scoring = this.RULE("scoring", () => {
    this.CONSUME(t.Points);
    this.OR(this.alts.scoring ??= [
      {
        ALT: () => {
          this.CONSUME(t.Linear);
          this.CONSUME(t.From);
          this.SUBRULE(this.expr, { LABEL: "from" });
          this.CONSUME(t.To);
          this.SUBRULE2(this.expr, { LABEL: "to" });
        },
      },
      {
        ALT: () => {
          this.CONSUME(t.Target);
          this.SUBRULE3(this.expr, { LABEL: "target" });
        },
      },
      {
        ALT: () => {
          this.CONSUME(t.By);
          this.CONSUME(t.Benchmark);
          this.AT_LEAST_ONE(() => this.SUBRULE(this.benchmarkRow));
        },
      },
    ]);
  });

  benchmarkRow = this.RULE("benchmarkRow", () => {
    this.CONSUME(t.OrdinalLiteral);
    this.OR(this.alts.benchmarkRow ??= [{ ALT: () => this.CONSUME(t.Percentile) }, { ALT: () => this.CONSUME(t.Decile) }]);
    this.SUBRULE(this.expr, { LABEL: "threshold" });
    this.CONSUME(t.Arrow);
    this.SUBRULE2(this.expr, { LABEL: "points" });
  });

  amendmentDecl = this.RULE("amendmentDecl", () => {
    this.CONSUME(t.Amendment);
    this.CONSUME(t.StringLiteral, { LABEL: "title" });
    this.MANY(() =>
      this.OR(this.alts.amendmentDecl ??= [
        {
          ALT: () => {
            this.CONSUME(t.Effective);
            this.SUBRULE(this.atom, { LABEL: "effective" });
          },
        },
        {
          ALT: () => {
            this.CONSUME(t.Overrides);
            this.CONSUME2(t.StringLiteral, { LABEL: "overrides" });
            this.MANY2(() => {
              this.CONSUME(t.Comma);
              this.CONSUME3(t.StringLiteral, { LABEL: "overrides" });
            });
          },
        },
        { ALT: () => this.SUBRULE(this.citation) },
        { ALT: () => this.SUBRULE(this.amendmentSet) },
      ]),
    );
  });

  amendmentSet = this.RULE("amendmentSet", () => {
    this.CONSUME(t.Set);
    this.SUBRULE(this.name);
    this.CONSUME(t.Equals);
    this.SUBRULE(this.expr);
  });

  // CLAUSE OPTIONS

  clauseOption = this.RULE("clauseOption", () => {
    this.OR(this.alts.clauseOption ??= [
      {
        ALT: () => {
          this.CONSUME(t.Measured);
          this.CONSUME(t.Per);
          this.SUBRULE(this.level);
        },
      },
      {
        ALT: () => {
          this.CONSUME(t.Paid);
          this.OR2(this.alts.clauseOption2 ??= [
            {
              ALT: () => {
                this.CONSUME(t.To);
                this.SUBRULE(this.recipient);
              },
            },
            { ALT: () => this.SUBRULE(this.frequency, { LABEL: "paidEvery" }) },
          ]);
        },
      },
      {
        ALT: () => {
          this.CONSUME(t.Settled);
          this.SUBRULE2(this.frequency, { LABEL: "settledEvery" });
        },
      },
      {
        ALT: () => {
          this.CONSUME(t.Allocated);
          this.CONSUME(t.By);
          this.SUBRULE(this.phrase, { LABEL: "basis" });
        },
      },
      {
        ALT: () => {
          this.CONSUME(t.Eligible);
          this.CONSUME(t.When);
          this.SUBRULE(this.expr, { LABEL: "eligible" });
        },
      },
      {
        ALT: () => {
          this.CONSUME(t.For);
          this.CONSUME(t.Payer);
          this.CONSUME(t.StringLiteral, { LABEL: "payer" });
          this.MANY(() => {
            this.CONSUME(t.Comma);
            this.CONSUME2(t.StringLiteral, { LABEL: "payer" });
          });
        },
      },
      {
        ALT: () => {
          this.CONSUME(t.Gate);
          this.SUBRULE2(this.expr, { LABEL: "gate" });
        },
      },
      { ALT: () => this.SUBRULE(this.roundingItem) },
      { ALT: () => this.SUBRULE(this.citation) },
      {
        ALT: () => {
          this.CONSUME(t.Effective);
          this.SUBRULE(this.atom, { LABEL: "effectiveFrom" });
          this.OPTION(() => {
            this.CONSUME2(t.To);
            this.SUBRULE2(this.atom, { LABEL: "effectiveTo" });
          });
        },
      },
    ]);
  });

  level = this.RULE("level", () => {
    this.OR(this.alts.level ??= [
      { ALT: () => this.CONSUME(t.Member) },
      { ALT: () => this.CONSUME(t.Physician) },
      { ALT: () => this.CONSUME(t.Practice) },
      { ALT: () => this.CONSUME(t.Panel) },
      { ALT: () => this.CONSUME(t.Payer) },
      { ALT: () => this.CONSUME(t.Contract) },
    ]);
  });

  recipient = this.RULE("recipient", () => {
    this.OR(this.alts.recipient ??= [
      { ALT: () => this.CONSUME(t.Practices) },
      { ALT: () => this.CONSUME(t.Physicians) },
      { ALT: () => this.CONSUME(t.Panels) },
      {
        ALT: () => {
          this.CONSUME(t.Community);
          this.CONSUME(t.Care);
          this.OR2(this.alts.recipient2 ??= [
            { ALT: () => this.CONSUME(t.Teams) },
            {
              ALT: () => {
                this.CONSUME(t.Team);
                this.CONSUME(t.StringLiteral, { LABEL: "team" });
              },
            },
          ]);
        },
      },
    ]);
  });

  // EXPRESSIONS, loosest binding first

  expr = this.RULE("expr", () => {
    this.SUBRULE(this.andExpr, { LABEL: "operands" });
    this.MANY(() => {
      this.CONSUME(t.Or, { LABEL: "operators" });
      this.SUBRULE2(this.andExpr, { LABEL: "operands" });
    });
  });

  andExpr = this.RULE("andExpr", () => {
    this.SUBRULE(this.notExpr, { LABEL: "operands" });
    this.MANY(() => {
      this.CONSUME(t.And, { LABEL: "operators" });
      this.SUBRULE2(this.notExpr, { LABEL: "operands" });
    });
  });

  notExpr = this.RULE("notExpr", () => {
    this.OR(this.alts.notExpr ??= [
      {
        ALT: () => {
          this.CONSUME(t.Not);
          this.SUBRULE(this.notExpr);
        },
      },
      { ALT: () => this.SUBRULE(this.comparison) },
    ]);
  });

  comparison = this.RULE("comparison", () => {
    this.SUBRULE(this.bounded, { LABEL: "operands" });
    this.OPTION(() => {
      this.SUBRULE(this.comparisonOperator);
      this.SUBRULE2(this.bounded, { LABEL: "operands" });
    });
  });

  comparisonOperator = this.RULE("comparisonOperator", () => {
    this.OR(this.alts.comparisonOperator ??= [
      { ALT: () => this.CONSUME(t.Equals) },
      { ALT: () => this.CONSUME(t.NotEqual) },
      { ALT: () => this.CONSUME(t.Less) },
      { ALT: () => this.CONSUME(t.LessEqual) },
      { ALT: () => this.CONSUME(t.Greater) },
      { ALT: () => this.CONSUME(t.GreaterEqual) },
      {
        ALT: () => {
          this.CONSUME(t.At);
          this.OR2(this.alts.comparisonOperator2 ??= [{ ALT: () => this.CONSUME(t.Least) }, { ALT: () => this.CONSUME(t.Most) }]);
        },
      },
    ]);
  });

  bounded = this.RULE("bounded", () => {
    this.SUBRULE(this.additive, { LABEL: "operands" });
    this.MANY(() => {
      this.OR(this.alts.bounded ??= [{ ALT: () => this.CONSUME(t.Capped, { LABEL: "operators" }) }, { ALT: () => this.CONSUME(t.Floored, { LABEL: "operators" }) }]);
      this.CONSUME(t.At);
      this.SUBRULE2(this.additive, { LABEL: "operands" });
    });
  });

  additive = this.RULE("additive", () => {
    this.SUBRULE(this.multiplicative, { LABEL: "operands" });
    this.MANY(() => {
      this.OR(this.alts.additive ??= [{ ALT: () => this.CONSUME(t.Plus, { LABEL: "operators" }) }, { ALT: () => this.CONSUME(t.Minus, { LABEL: "operators" }) }]);
      this.SUBRULE2(this.multiplicative, { LABEL: "operands" });
    });
  });

  multiplicative = this.RULE("multiplicative", () => {
    this.SUBRULE(this.unary, { LABEL: "operands" });
    this.MANY(() => {
      this.OR(this.alts.multiplicative ??= [
        { ALT: () => this.CONSUME(t.Star, { LABEL: "operators" }) },
        { ALT: () => this.CONSUME(t.Slash, { LABEL: "operators" }) },
        { ALT: () => this.CONSUME(t.Times, { LABEL: "operators" }) },
        { ALT: () => this.CONSUME(t.Of, { LABEL: "operators" }) },
      ]);
      this.SUBRULE2(this.unary, { LABEL: "operands" });
    });
  });

  unary = this.RULE("unary", () => {
    this.OR(this.alts.unary ??= [
      {
        ALT: () => {
          this.CONSUME(t.Minus);
          this.SUBRULE(this.unary);
        },
      },
      { ALT: () => this.SUBRULE(this.postfix) },
    ]);
  });

  postfix = this.RULE("postfix", () => {
    this.SUBRULE(this.atom);
    this.MANY(() => this.SUBRULE(this.postfixOperator));
  });

  postfixOperator = this.RULE("postfixOperator", () => {
    this.OR(this.alts.postfixOperator ??= [
      { ALT: () => this.CONSUME(t.Pmpm) },
      {
        ALT: () => {
          this.CONSUME(t.Per);
          this.CONSUME(t.Member);
          this.CONSUME2(t.Per);
          this.CONSUME(t.Month);
        },
      },
      {
        ALT: () => {
          this.CONSUME3(t.Per);
          this.CONSUME(t.NumberLiteral, { LABEL: "perCount" });
        },
      },
      {
        ALT: () => {
          this.CONSUME(t.Grown);
          this.SUBRULE2(this.atom, { LABEL: "grownBy" });
        },
      },
      {
        ALT: () => {
          this.CONSUME(t.Adjusted);
          this.CONSUME(t.By);
          this.CONSUME(t.Risk);
        },
      },
    ]);
  });

  /** A tier-row bound: a literal, a name or a parenthesised expression (never `benchmark`, which starts a term). */
  bound = this.RULE("bound", () => {
    this.OR(this.alts.bound ??= [
      { ALT: () => this.CONSUME(t.MoneyLiteral) },
      { ALT: () => this.CONSUME(t.PercentLiteral) },
      { ALT: () => this.CONSUME(t.NumberLiteral) },
      { ALT: () => this.CONSUME(t.DateLiteral) },
      { ALT: () => this.CONSUME(t.StringLiteral) },
      { ALT: () => this.CONSUME(t.True) },
      { ALT: () => this.CONSUME(t.False) },
      { ALT: () => this.SUBRULE(this.reference) },
      {
        ALT: () => {
          this.CONSUME(t.LParen);
          this.SUBRULE(this.expr, { LABEL: "inner" });
          this.CONSUME(t.RParen);
        },
      },
    ]);
  });

  /** A bound, or one of the atoms that may not start a tier row: `benchmark`, `savings`, `rate of`, calls, `if`. */
  atom = this.RULE("atom", () => {
    this.OR(this.alts.atom ??= [
      { ALT: () => this.SUBRULE(this.bound) },
      { ALT: () => this.CONSUME(t.Benchmark) },
      {
        ALT: () => {
          this.CONSUME(t.Savings);
          this.OPTION(() => this.CONSUME(t.Rate, { LABEL: "savingsRate" }));
        },
      },
      {
        ALT: () => {
          this.CONSUME2(t.Rate);
          this.CONSUME(t.Of);
          this.CONSUME2(t.StringLiteral, { LABEL: "qualityMeasure" });
        },
      },
      {
        ALT: () => {
          this.OR2(this.alts.atom2 ??= [{ ALT: () => this.CONSUME(t.Min) }, { ALT: () => this.CONSUME(t.Max) }, { ALT: () => this.CONSUME(t.Clamp) }]);
          this.CONSUME2(t.LParen);
          this.SUBRULE2(this.expr, { LABEL: "args" });
          this.MANY(() => {
            this.CONSUME(t.Comma);
            this.SUBRULE3(this.expr, { LABEL: "args" });
          });
          this.CONSUME2(t.RParen);
        },
      },
      {
        ALT: () => {
          this.CONSUME(t.If);
          this.SUBRULE4(this.expr, { LABEL: "condition" });
          this.CONSUME(t.Then);
          this.SUBRULE5(this.expr, { LABEL: "then" });
          this.CONSUME(t.Else);
          this.SUBRULE6(this.expr, { LABEL: "else" });
        },
      },
    ]);
  });
}

export const parser = new ContractParser();
