// PRESET PARAMETERS: one table per line of business, every figure tagged with its source.
//
// Sources are the sections of /work/shared/design/populations.md ("pop §A2.1" and so on), which
// carry the URLs. [judgement] marks a value chosen here where that note has no public figure;
// [derived] marks arithmetic on sourced inputs. docs/simulation.md lists them all and the tests in
// tests/simulator/calibration.test.ts check the ones the generator is calibrated to.

export type Preset = "commercial" | "medicare" | "medicaid";
export const presets: readonly Preset[] = ["commercial", "medicare", "medicaid"];

/** One demographic cell: an age range (inclusive, age on 1 January), a sex and a cost factor. */
export interface Cell {
  readonly lo: number;
  readonly hi: number;
  readonly female: boolean;
  /** Share of members in the cell; the shares of a preset sum to 1. */
  readonly share: number;
  /** Mean annual cost relative to the other cells of the preset (the scale is free). */
  readonly factor: number;
}

export interface MeasureSpec {
  readonly code: string;
  readonly title: string;
  /** Eligibility by age on 31 December of the performance year. */
  readonly minAge: number;
  readonly maxAge: number;
  readonly femaleOnly?: boolean;
  readonly condition?: Condition;
  /** Share of eligible members sampled into the denominator (surveys), default 1. */
  readonly sample?: number;
  readonly rate: Readonly<Record<Preset, number>>;
  readonly source: string;
}

export type Condition = "diabetes" | "hypertension" | "heart_failure" | "copd";
export const conditions: readonly Condition[] = ["diabetes", "hypertension", "heart_failure", "copd"];

export type Residual = "specialist" | "outpatient" | "pharmacy" | "other";
export const residualCategories: readonly Residual[] = ["specialist", "outpatient", "pharmacy", "other"];

export interface PresetParams {
  readonly preset: Preset;
  readonly lob: string;
  readonly defaultPayer: string;
  /** Baseline-year mean allowed cost per member-year, dollars. */
  readonly annualCost: number;
  readonly annualCostSource: string;
  /** Zero-inflated two-component lognormal: zero share, high-need weight and scale, common sigma. */
  readonly shape: { readonly zero: number; readonly highWeight: number; readonly highScale: number; readonly sigma: number };
  readonly shapeSource: string;
  readonly cells: readonly Cell[];
  readonly cellsSource: string;
  /** Default cost trend from the baseline year to the performance year [judgement]; 4% for every preset, so that `defaultEffects` is the same for all. */
  readonly trend: number;
  /** Monthly disenrollment hazard; leavers are replaced by entrants so enrollment is steady. */
  readonly churn: number;
  readonly churnSource: string;
  /** Correlation of the latent cost score between the baseline and performance years. */
  readonly persistence: number;
  readonly persistenceSource: string;
  /** Coefficient of variation of member risk scores the latent split is tuned to. */
  readonly riskCv: number;
  readonly riskCvSource: string;
  /** Events per 1,000 member-years. */
  readonly admissions: number;
  readonly edVisits: number;
  readonly pcVisits: number;
  readonly utilizationSource: { readonly admissions: string; readonly ed: string; readonly pc: string };
  /** Share of total allowed cost that is inpatient. */
  readonly inpatientShare: number;
  readonly inpatientShareSource: string;
  /** Split of what is left after inpatient, ED and primary care. */
  readonly residualShares: Readonly<Record<Residual, number>>;
  /** Price level relative to the Medicare fee schedule: professional services and facilities. */
  readonly professionalPrice: number;
  readonly facilityPrice: number;
  /** Prevalence among adults (18+). */
  readonly prevalence: Readonly<Record<Condition, number>>;
  readonly prevalenceSource: string;
}

// DEMOGRAPHICS

function bySex(bands: readonly (readonly [number, number, number, number, number])[], femaleShare: number): Cell[] {
  // [lo, hi, share of members, factor male, factor female]
  const out: Cell[] = [];
  for (const [lo, hi, share, m, f] of bands) {
    out.push({ lo, hi, female: false, share: share * (1 - femaleShare), factor: m });
    out.push({ lo, hi, female: true, share: share * femaleShare, factor: f });
  }
  return out;
}

/**
 * Commercial (employer-sponsored, under 65). Age mix [judgement: census-like, about a quarter
 * children]. Factors shaped after the sources of pop §A2.2: infants high, lowest around 5-14,
 * female costs above male in child-bearing ages (NHE 2010: females about 25% above males),
 * steep rise to the early 60s (the ACA default curve rescaled toward the 5:1 pre-ACA spread,
 * Urban Institute), males overtaking females around 60 (Yamamoto, SOA 2013), children (0-18)
 * about 0.59 of working-age adults (NHE 2010: $3,628 vs $6,125).
 */
const commercialCells = bySex(
  [
    [0, 0, 0.012, 3.3, 3.1],
    [1, 4, 0.05, 1.05, 1.0],
    [5, 14, 0.14, 0.82, 0.78],
    [15, 20, 0.1, 0.92, 1.25],
    [21, 29, 0.14, 0.72, 1.5],
    [30, 39, 0.16, 0.92, 1.82],
    [40, 49, 0.16, 1.38, 1.88],
    [50, 54, 0.085, 2.0, 2.25],
    [55, 59, 0.083, 2.6, 2.6],
    [60, 64, 0.07, 3.4, 3.1],
  ],
  0.505,
);

/**
 * Medicare FFS, ACO-assigned. Age and sex mix from the MSSP PUF PY2023 (pop §A2.2): <65 9.0%,
 * 65-74 47.2%, 75-84 32.2%, 85+ 11.6%, female 56.7%. Cost rising with age (Yamamoto) with the
 * under-65 (disabled) near the aged average (PUF: disabled $11,952 vs aged/non-dual $11,610);
 * the factors themselves are [judgement].
 */
const medicareCells = bySex(
  [
    [40, 64, 0.09, 1.05, 1.0],
    [65, 69, 0.25, 0.78, 0.72],
    [70, 74, 0.222, 0.95, 0.88],
    [75, 79, 0.18, 1.12, 1.04],
    [80, 84, 0.142, 1.27, 1.18],
    [85, 94, 0.116, 1.4, 1.3],
  ],
  0.567,
);

/**
 * Medicaid full-benefit enrollees by eligibility group (pop §A2.1): children 37% of enrollees at
 * 0.41x the average cost, aged and disabled 21% at 2.48x (KFF 2021); MACPAC FY2022 spending
 * shares (children 15.4%, adults 33.5%, disability 30.3%, 65+ 20.7%) split the 21% as 13%
 * disabled / 8% aged [judgement] giving factors 0.416 / 0.798 / 2.331 / 2.588 [derived]. Ages
 * within groups and the 58% female share are [judgement].
 */
const medicaidCells = bySex(
  [
    // children: infants 1.0, others 0.365 -> group mean 0.416
    [0, 0, 0.03, 1.0, 1.0],
    [1, 18, 0.34, 0.365, 0.365],
    // adults (expansion and other): group mean 0.798
    [19, 34, 0.2, 0.65, 0.65],
    [35, 49, 0.13, 0.85, 0.85],
    [50, 64, 0.09, 1.05, 1.05],
    // disabled
    [19, 44, 0.06, 2.331, 2.331],
    [45, 64, 0.07, 2.331, 2.331],
    // aged
    [65, 89, 0.08, 2.588, 2.588],
  ],
  0.58,
);

export const params: Readonly<Record<Preset, PresetParams>> = {
  commercial: {
    preset: "commercial",
    lob: "commercial",
    defaultPayer: "Example Commercial Plan",
    annualCost: 6711,
    annualCostSource: "HCCI 2022 Health Care Cost and Utilization Report: $6,711 per person (pop §A2.1)",
    shape: { zero: 0.12, highWeight: 0.45, highScale: 12, sigma: 1.25 },
    shapeSource:
      "MEPS 2022 concentration (SB #560: top 1% 21.7%, top 5% nearly half, bottom 50% < 3%); the zero-inflated two-lognormal of pop §A2.3 (p0 0.12, 40% high-need x12, sigma 1.2) refitted to 45% high-need, sigma 1.25 so that the total, after the age/sex shifts of the copula, matches [derived: simulator/scripts/tune-shape.ts]",
    cells: commercialCells,
    cellsSource: "pop §A2.2 (NHE 2010 age and sex ratios, ACA default age curve, Urban Institute 5:1, Yamamoto SOA 2013); mix [judgement]",
    trend: 0.04,
    churn: 0.022,
    churnSource: "Fang et al., JAMA Netw Open 2022 (Anthem 2006-18): 2.2%/month external turnover (pop §A2.8)",
    persistence: 0.63,
    persistenceSource: "KFF/MarketScan: 43% of the top 10% stay top 10% next year; MEPS: 18-20% of the top 1% stay top 1% (pop §A2.7), r = 0.61-0.65",
    riskCv: 0.95,
    riskCvSource: "pop §A2.6: CMS-HCC R^2 about 0.10-0.12 gives risk CV = sqrt(R^2) x cost CV, 0.76-1.0 [derived]; all-payer cost CV 2.9",
    admissions: 60,
    edVisits: 220,
    pcVisits: 1500,
    utilizationSource: {
      admissions: "actuarial planning range 50-70 per 1,000 including maternity [unsourced, pop §A2.4]; 60",
      ed: "NCHS Data Briefs: 47 visits per 100 people, all ages, private insurance lowest (pop §A2.4); 220 [judgement]",
      pc: "NCHS DB 212: 301 office visits per 100 persons x about 50% to primary-care generalists (Health, United States Table 92) (pop §A2.4) [derived]",
    },
    inpatientShare: 0.2,
    inpatientShareSource: "HCCI 2013 (commercial ESI): inpatient 20%, hospital outpatient 28%, professional 34%, drugs 17% (pop §A3)",
    residualShares: { specialist: 0.45, outpatient: 0.3, pharmacy: 0.24, other: 0.01 },
    professionalPrice: 1.4,
    facilityPrice: 2.0,
    prevalence: { diabetes: 0.101, hypertension: 0.324, heart_failure: 0.015, copd: 0.065 },
    prevalenceSource:
      "general adult figures applied to commercial adults (pop §A2.5): diabetes 10.1% (CDC NDSR 2017-2020), hypertension 32.4% (BRFSS 2017), COPD 6.5% (Ford et al. 2013); heart failure 1.5% [judgement]",
  },
  medicare: {
    preset: "medicare",
    lob: "medicare",
    defaultPayer: "Example Medicare Plan",
    annualCost: 12251,
    annualCostSource: "MSSP PUF PY2023: per-capita Parts A+B $12,251, person-year weighted (pop §A2.1)",
    shape: { zero: 0.08, highWeight: 0.3, highScale: 12, sigma: 0.9 },
    shapeSource:
      "Medicare FFS 65+ 2007-2018 (EClinicalMedicine 2021): top 1% 14.9%, top 5% 41.5%, top 10% 60.0%, top 20% 79.1%, top 50% 95.7%; the pop §A2.3 fit (p0 0.08, 30% high-need x12, sigma 0.9) as published: the small age/sex spread leaves it within a point [derived: simulator/scripts/tune-shape.ts]",
    cells: medicareCells,
    cellsSource: "MSSP PUF PY2023 age/sex mix (pop §A2.2); factors [judgement] after Yamamoto",
    trend: 0.04,
    churn: 0.007,
    churnSource: "all-cause mortality 4.45%/year (Krumholz, pop §A2.8) = 0.38%/month plus switching to Medicare Advantage, 0.7%/month [judgement]",
    persistence: 0.5,
    persistenceSource: "VA + Medicare 2008-12 (Yoon et al. 2018): 32% of the top 10% stay top 10% after one year (pop §A2.7), r = 0.49",
    riskCv: 0.78,
    riskCvSource: "pop §A2.6: risk CV = sqrt(R^2) x cost CV with R^2 0.11 and Medicare cost CV 2.2-2.4 [derived]",
    admissions: 253,
    edVisits: 612,
    pcVisits: 3593,
    utilizationSource: {
      admissions: "MSSP PUF PY2023: inpatient discharges (ADM) 253 per 1,000 person-years (pop §A2.4)",
      ed: "MSSP PUF PY2023: ED visits (P_EDV_Vis) 612 per 1,000 person-years (pop §A2.4)",
      pc: "MSSP PUF PY2023: primary-care E&M visits (P_EM_PCP_Vis) 3,593 per 1,000 person-years (pop §A2.4)",
    },
    inpatientShare: 0.3,
    inpatientShareSource: "MedPAC 2017: inpatient $3,002 and outpatient $1,753 per FFS beneficiary (2015), about 30% and 17.5% of spending [derived] (pop §A2.4)",
    residualShares: { specialist: 0.4, outpatient: 0.22, pharmacy: 0.08, other: 0.3 },
    professionalPrice: 1.0,
    facilityPrice: 1.0,
    prevalence: { diabetes: 0.275, hypertension: 0.59, heart_failure: 0.146, copd: 0.13 },
    prevalenceSource: "CCW Medicare FFS 2019 (pop §A2.5): diabetes 27.5%, hypertension 59.0%, heart failure 14.6%, COPD about 13% [uncertain denominator]",
  },
  medicaid: {
    preset: "medicaid",
    lob: "medicaid",
    defaultPayer: "Example Medicaid Plan",
    annualCost: 7593,
    annualCostSource: "KFF: $7,593 per full-benefit enrollee, 2021 (includes LTSS) (pop §A2.1)",
    shape: { zero: 0.12, highWeight: 0.45, highScale: 12, sigma: 1.25 },
    shapeSource:
      "no Medicaid-specific concentration figure: the MEPS 2022 all-payer targets (top 1% 21.7%, top 5% nearly half, bottom 50% < 3%) [judgement]; same refitted shape as commercial [derived: simulator/scripts/tune-shape.ts]",
    cells: medicaidCells,
    cellsSource: "KFF 2021 and MACPAC FY2022 eligibility-group enrollment and spending shares (pop §A2.1); ages within groups [judgement]",
    trend: 0.04,
    churn: 0.025,
    churnSource: "pop §A2.8: Medicaid adults about 2-3%/month [uncertain]; 2.5%/month",
    persistence: 0.6,
    persistenceSource: "MEPS all-payer top-1% retention 18-20% (pop §A2.7), r about 0.6 [judgement: applied to Medicaid]",
    riskCv: 0.9,
    riskCvSource: "pop §A2.6 range 0.76-1.0 [derived]",
    admissions: 100,
    edVisits: 800,
    pcVisits: 2000,
    utilizationSource: {
      admissions: "[judgement]: 100 per 1,000 (all-payer 116 per 1,000, HCUP SB #180, pop §A2.4, with Medicaid's births)",
      ed: "Tang et al. JAMA 2010: adult Medicaid 947 per 1,000 (pop §A2.4); children lower; 800 overall [judgement]",
      pc: "[judgement]: 2,000 per 1,000",
    },
    inpatientShare: 0.15,
    inpatientShareSource: "[judgement]: acute inpatient share lower than commercial because Medicaid spending includes LTSS",
    residualShares: { specialist: 0.25, outpatient: 0.25, pharmacy: 0.25, other: 0.25 },
    professionalPrice: 0.75,
    facilityPrice: 0.7,
    prevalence: { diabetes: 0.101, hypertension: 0.324, heart_failure: 0.025, copd: 0.065 },
    prevalenceSource: "general adult figures (pop §A2.5) applied to Medicaid adults [judgement]; heart failure 2.5% [judgement]",
  },
};

// PRICES (Medicare-level; the preset's price factors and the cost trend scale them)

/** Primary-care E&M codes: Medicare physician fee schedule 2025, national non-facility, rounded [judgement: approximate]. */
export const officeVisitCodes: readonly { readonly code: string; readonly share: number; readonly fee: number }[] = [
  { code: "99202", share: 0.01, fee: 70.5 },
  { code: "99203", share: 0.02, fee: 108 },
  { code: "99204", share: 0.02, fee: 161 },
  { code: "99205", share: 0.005, fee: 212 },
  { code: "99211", share: 0.02, fee: 22.5 },
  { code: "99212", share: 0.09, fee: 55.5 },
  { code: "99213", share: 0.44, fee: 89 },
  { code: "99214", share: 0.34, fee: 126 },
  { code: "99215", share: 0.055, fee: 177 },
];

/** ED visits by level; the amount is the whole visit, facility and professional [judgement]. */
export const edCodes: readonly { readonly code: string; readonly share: number; readonly fee: number }[] = [
  { code: "99281", share: 0.03, fee: 150 },
  { code: "99282", share: 0.07, fee: 280 },
  { code: "99283", share: 0.3, fee: 480 },
  { code: "99284", share: 0.35, fee: 820 },
  { code: "99285", share: 0.25, fee: 1300 },
];

/** Inpatient admissions are coded by MS-DRG [illustrative]. */
export const admissionCodes: Readonly<Record<Preset, readonly string[]>> = {
  commercial: ["DRG775", "DRG766", "DRG470", "DRG871", "DRG392", "DRG885", "DRG247", "DRG621"],
  medicare: ["DRG871", "DRG291", "DRG470", "DRG190", "DRG194", "DRG690", "DRG683", "DRG392", "DRG603", "DRG247"],
  medicaid: ["DRG775", "DRG766", "DRG885", "DRG871", "DRG392", "DRG194", "DRG897", "DRG690"],
};

/**
 * Other categories: typical amount per claim line (Medicare price level), most lines per member-year
 * (pharmacy also at most one per enrolled month), codes by amount bracket [illustrative]. Lines
 * aggregate services, to keep about 6-10 claims per member-year.
 */
export const residualClaims: Readonly<Record<Residual, { readonly typical: number; readonly max: number; readonly codes: readonly (readonly [number, string])[] }>> = {
  specialist: { typical: 400, max: 6, codes: [[180, "99243"], [400, "99244"], [900, "93306"], [2500, "45378"], [8000, "29881"], [Infinity, "27447"]] },
  outpatient: { typical: 800, max: 4, codes: [[150, "80053"], [500, "71046"], [1500, "74177"], [5000, "43239"], [Infinity, "29881"]] },
  pharmacy: { typical: 300, max: 6, codes: [[60, "RX-GENERIC"], [900, "RX-BRAND"], [Infinity, "RX-SPECIALTY"]] },
  other: { typical: 2000, max: 3, codes: [[500, "E0601"], [4000, "G0299"], [Infinity, "0022"]] },
};

/** A typical script, to give pharmacy lines their units (scripts in the month). */
export const scriptCost = 90;

// QUALITY MEASURES (HEDIS national averages, pop §A4)

const avg = (a: number, b: number) => (a + b) / 2;

export const measureSpecs: readonly MeasureSpec[] = [
  {
    code: "BCS",
    title: "Breast cancer screening",
    minAge: 50,
    maxAge: 74,
    femaleOnly: true,
    rate: { commercial: avg(0.738, 0.723), medicare: avg(0.704, 0.721), medicaid: 0.524 },
    source: "NCQA HEDIS MY2022: commercial HMO 73.8 / PPO 72.3, Medicaid HMO 52.4, Medicare HMO 70.4 / PPO 72.1 (pop §A4)",
  },
  {
    code: "COL",
    title: "Colorectal cancer screening",
    minAge: 45,
    maxAge: 75,
    rate: { commercial: 0.56, medicare: 0.64, medicaid: 0.39 },
    source: "NCQA MY2023: commercial 56, Medicaid 39, Medicare 64 (pop §A4)",
  },
  {
    code: "CBP",
    title: "Controlling high blood pressure",
    minAge: 18,
    maxAge: 85,
    condition: "hypertension",
    rate: { commercial: avg(0.638, 0.549), medicare: avg(0.729, 0.702), medicaid: 0.609 },
    source: "NCQA HEDIS MY2022: commercial HMO 63.8 / PPO 54.9, Medicaid HMO 60.9, Medicare HMO 72.9 / PPO 70.2 (pop §A4)",
  },
  {
    code: "HBD",
    title: "HbA1c control (<8.0%) for patients with diabetes",
    minAge: 18,
    maxAge: 75,
    condition: "diabetes",
    rate: { commercial: avg(0.618, 0.538), medicare: avg(0.685, 0.697), medicaid: 0.509 },
    source: "NCQA HEDIS MY2022 HbA1c <8.0%: commercial HMO 61.8 / PPO 53.8, Medicaid HMO 50.9, Medicare HMO 68.5 / PPO 69.7 (pop §A4)",
  },
  {
    code: "CAHPS",
    title: "Patient experience (CAHPS top-box), surveyed members",
    minAge: 18,
    maxAge: 200,
    sample: 0.1,
    rate: { commercial: 0.78, medicare: 0.82, medicaid: 0.74 },
    source: "[judgement]: no CAHPS figure in pop; a 10% survey sample of adult members",
  },
];

/** Any other measure code a contract reads: all adult members, 70% [judgement]. */
export function genericMeasure(code: string): MeasureSpec {
  return { code, title: code, minAge: 18, maxAge: 200, rate: { commercial: 0.7, medicare: 0.7, medicaid: 0.7 }, source: "[judgement]: generic measure" };
}

export const defaultMeasures: readonly string[] = ["BCS", "COL", "CBP", "HBD", "CAHPS"];

// STRUCTURE [judgement unless noted]

/** Members per physician: uniform between these (pop §A2.9: team-based 1,387-1,947 per PCP). */
export const panelSizeRange = [1000, 2000] as const;
/** Physicians per practice, 1..8, probabilities. */
export const practiceSizeWeights = [0.22, 0.16, 0.14, 0.12, 0.1, 0.1, 0.08, 0.08] as const;
/** Physicians per virtual panel. */
export const virtualPanelRange = [10, 15] as const;
/**
 * SD of each practice's shift of its members' risk index (the part of the latent score the risk
 * score sees): sets the spread of practice mean risk, tuned toward the ACO-level spread of the
 * MSSP PUF PY2023 (aged/non-dual p10-p90 0.896-1.131, pop §A2.6); practices are smaller than
 * ACOs, so somewhat wider. The effects are standardised over the network (model.ts).
 */
export const practiceRiskShift = 0.055;
/** Practice risk group cut-points on the member-month average risk score [judgement: relative form of PCF's four groups]. */
export const riskGroupCuts = [0.9, 1.0, 1.1] as const;
/** SD of the practice effect on the logit of every quality rate (pop §A4: 0.3-0.5). */
export const practiceQualitySd = 0.4;
/** Share of primary-care visits rendered by another physician of the member's practice. */
export const coveringVisitShare = 0.1;
