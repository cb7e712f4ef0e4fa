// Unicode property names as both engines read them loosely: case, spaces,
// hyphens and underscores do not matter, general categories have long names
// (`Letter` = `L`), and a `sc=`/`gc=`-style prefix may name the kind.
const GENERAL_CATEGORIES: Record<string, string> = {
  letter: 'L', casedletter: 'L', uppercaseletter: 'Lu', lowercaseletter: 'Ll', titlecaseletter: 'Lt',
  modifierletter: 'Lm', otherletter: 'Lo', mark: 'M', combiningmark: 'M', nonspacingmark: 'Mn',
  spacingmark: 'Mc', enclosingmark: 'Me', number: 'N', decimalnumber: 'Nd', digit: 'Nd', letternumber: 'Nl',
  othernumber: 'No', punctuation: 'P', connectorpunctuation: 'Pc', dashpunctuation: 'Pd',
  openpunctuation: 'Ps', closepunctuation: 'Pe', initialpunctuation: 'Pi', finalpunctuation: 'Pf',
  otherpunctuation: 'Po', symbol: 'S', mathsymbol: 'Sm', currencysymbol: 'Sc', modifiersymbol: 'Sk',
  othersymbol: 'So', separator: 'Z', spaceseparator: 'Zs', lineseparator: 'Zl', paragraphseparator: 'Zp',
  other: 'C', control: 'Cc', format: 'Cf', surrogate: 'Cs', privateuse: 'Co', unassigned: 'Cn', any: 'Any',
};

/** The spellings to try for a property name (`greek` → `Greek`, `Letter` → `L`). */
export function propertyCandidates(rawName: string): string[] {
  const name = rawName.replace(/^\^/, '');
  const value = /[=:]/.test(name) ? name.split(/[=:]/)[1] ?? '' : name;
  const loose = value.toLowerCase().replace(/[\s_-]/g, '');
  const titled = value.split(/[\s_-]+/).map((w) => (w[0] ?? '').toUpperCase() + w.slice(1).toLowerCase()).join('_');
  return [GENERAL_CATEGORIES[loose], value, titled, value.toUpperCase()].filter((c): c is string => c !== undefined && c !== '');
}

/** JavaScript's Unicode tables stand in for the engines' where RE2 has none (binary properties, scripts). */
export function jsKnowsProperty(candidate: string): boolean {
  for (const source of [`\\p{${candidate}}`, `\\p{Script=${candidate}}`]) {
    try {
      new RegExp(source, 'u');
      return true;
    } catch {
      // not this spelling
    }
  }
  return false;
}
