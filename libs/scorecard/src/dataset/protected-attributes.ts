/**
 * Attributes a credit decision may not rest on (sex, age, origin, marital status and the like), and the
 * German credit data's proxies for them. Names are compared after lower-casing and dropping everything
 * but letters and digits, so "Date_of-Birth" and "dateOfBirth" are the same name.
 */
const PROTECTED_NAMES = [
  'sex',
  'gender',
  'age',
  'ageyears',
  'ageband',
  'dateofbirth',
  'birthdate',
  'dob',
  'yearofbirth',
  'race',
  'ethnicity',
  'ethnicorigin',
  'colour',
  'color',
  'religion',
  'nationality',
  'nationalorigin',
  'citizenship',
  'foreignworker',
  'immigrationstatus',
  'maritalstatus',
  'personalstatus',
  'personalstatussex',
  'pregnancy',
  'disability',
  'sexualorientation',
  'genderidentity',
] as const;

const PROTECTED = new Set<string>(PROTECTED_NAMES);

export function normaliseAttributeName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

export function isProtectedAttribute(name: string): boolean {
  return PROTECTED.has(normaliseAttributeName(name));
}

export function protectedAttributeNames(): readonly string[] {
  return PROTECTED_NAMES;
}
