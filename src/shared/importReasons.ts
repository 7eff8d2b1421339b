// Why a contact row or a whole file was refused or flagged at import, in words a shop owner understands (es/en).

export type ImportLang = 'es' | 'en'

interface Explained {
  es: string
  en: string
}

/** Reasons a row is rejected. */
const ROW_REASONS = {
  empty_phone: {
    en: 'The row has no phone number.',
    es: 'La fila no tiene número de teléfono.',
  },
  letters: {
    en: 'The phone number contains letters; write only digits, spaces, dashes, parentheses or a leading +.',
    es: 'El número tiene letras; escribe solo dígitos, espacios, guiones, paréntesis o un + al inicio.',
  },
  scientific_notation: {
    en: 'Excel turned this number into scientific notation (like 5.73E+11) and lost its last digits. Format the phone column as Text in Excel and export again.',
    es: 'Excel convirtió este número a notación científica (como 5,73E+11) y perdió los últimos dígitos. Pon la columna del teléfono en formato Texto en Excel y vuelve a exportar.',
  },
  not_a_number: {
    en: 'This is not a phone number.',
    es: 'Esto no es un número de teléfono.',
  },
  too_short: {
    en: 'The number is too short: a digit is probably missing.',
    es: 'El número es muy corto: probablemente le falta un dígito.',
  },
  too_long: {
    en: 'The number is too long: there is probably an extra digit, or two numbers written together.',
    es: 'El número es muy largo: probablemente le sobra un dígito o son dos números pegados.',
  },
  invalid_country: {
    en: 'The country of this number is unknown: write it with + and the country code (for example +57).',
    es: 'No se sabe de qué país es el número: escríbelo con + y el código del país (por ejemplo +57).',
  },
  invalid_number: {
    en: 'This number does not exist in its country (wrong digits or prefix).',
    es: 'Este número no existe en su país (dígitos o prefijo equivocados).',
  },
  duplicate: {
    en: 'The same number is already in the list (row {first}); it will be sent only once.',
    es: 'El mismo número ya está en la lista (fila {first}); se enviará una sola vez.',
  },
  row_too_long: {
    en: 'This row is far too long to be a contact (is the file really a table?).',
    es: 'Esta fila es demasiado larga para ser un contacto (¿el archivo es de verdad una tabla?).',
  },
} as const satisfies Record<string, Explained>

/** A refused row's reason in a few words, for a column or a summary line. */
const ROW_REASON_LABELS: Record<keyof typeof ROW_REASONS, Explained> = {
  empty_phone: { en: 'No number', es: 'Sin número' },
  letters: { en: 'Letters in the number', es: 'Letras en el número' },
  scientific_notation: { en: 'Number damaged by Excel (E+)', es: 'Número dañado por Excel (E+)' },
  not_a_number: { en: 'Not a phone number', es: 'No es un número de teléfono' },
  too_short: { en: 'Too short', es: 'Muy corto' },
  too_long: { en: 'Too long', es: 'Muy largo' },
  invalid_country: { en: 'Country unknown', es: 'País desconocido' },
  invalid_number: { en: 'Does not exist', es: 'No existe' },
  duplicate: { en: 'Repeated', es: 'Repetido' },
  row_too_long: { en: 'Not a contact row', es: 'No es una fila de contacto' },
}

/** Warnings on an accepted number: it is kept, but the owner should know. */
const WARNINGS = {
  fixed_line: {
    en: 'This looks like a landline; landlines usually cannot receive WhatsApp messages.',
    es: 'Parece un teléfono fijo; los fijos normalmente no reciben mensajes de WhatsApp.',
  },
  not_mobile: {
    en: 'This is a special number (toll-free, premium or similar) that usually has no WhatsApp.',
    es: 'Es un número especial (gratuito, de tarifa especial o similar) que normalmente no tiene WhatsApp.',
  },
  prefix_fixed: {
    en: 'An extra prefix after the country code was removed (for example the old 1 of Mexican mobiles).',
    es: 'Se quitó un prefijo sobrante después del código del país (por ejemplo el antiguo 1 de los celulares de México).',
  },
  extra_numbers: {
    en: 'The cell had several numbers; only the first valid one is used.',
    es: 'La celda tenía varios números; solo se usa el primero válido.',
  },
  opted_out: {
    en: 'This person asked not to receive messages; the row is kept but will not be sent.',
    es: 'Esta persona pidió no recibir mensajes; la fila se guarda pero no se le enviará.',
  },
} as const satisfies Record<string, Explained>

/** Problems with the whole file: nothing can be imported until it is fixed. */
const FILE_PROBLEMS = {
  empty_file: {
    en: 'The file is empty.',
    es: 'El archivo está vacío.',
  },
  json_file: {
    en: 'This is a JSON file, not a table. Save the contacts from Excel as "CSV UTF-8" or "Excel Workbook (.xlsx)", or send them as JSON in the campaign\'s contacts.',
    es: 'Es un archivo JSON, no una tabla. Guarda los contactos desde Excel como "CSV UTF-8" o "Libro de Excel (.xlsx)", o envíalos como JSON en los contactos de la campaña.',
  },
  not_a_table: {
    en: 'This file is not a spreadsheet or a CSV text file. Save it from Excel as "CSV UTF-8" or "Excel Workbook (.xlsx)".',
    es: 'Este archivo no es una hoja de cálculo ni un CSV de texto. Guárdalo desde Excel como "CSV UTF-8" o "Libro de Excel (.xlsx)".',
  },
  old_excel: {
    en: 'This is an old Excel file (.xls). Open it in Excel and save it as "Excel Workbook (.xlsx)" or "CSV UTF-8".',
    es: 'Es un archivo antiguo de Excel (.xls). Ábrelo en Excel y guárdalo como "Libro de Excel (.xlsx)" o "CSV UTF-8".',
  },
  unreadable_excel: {
    en: 'The Excel file could not be read; it may be damaged or password-protected. Save it again from Excel without a password.',
    es: 'No se pudo leer el archivo de Excel; puede estar dañado o tener contraseña. Guárdalo de nuevo desde Excel sin contraseña.',
  },
  sheet_not_found: {
    en: 'The workbook has no sheet with that name.',
    es: 'El libro no tiene una hoja con ese nombre.',
  },
  no_phone_column: {
    en: 'No column with phone numbers was found. Name the column "Phone" or "Celular", or choose it in the column mapping.',
    es: 'No se encontró una columna con números de teléfono. Llama a la columna "Celular" o "Teléfono", o elígela al asignar columnas.',
  },
  unknown_column: {
    en: 'The chosen column is not in the file.',
    es: 'La columna elegida no está en el archivo.',
  },
} as const satisfies Record<string, Explained>

export type ImportRowReason = keyof typeof ROW_REASONS
export type ImportWarning = keyof typeof WARNINGS
export type ImportFileProblem = keyof typeof FILE_PROBLEMS
export type ImportReason = ImportRowReason | ImportWarning | ImportFileProblem

const ALL: Record<ImportReason, Explained> = { ...ROW_REASONS, ...WARNINGS, ...FILE_PROBLEMS }

export const IMPORT_ROW_REASONS = Object.keys(ROW_REASONS) as ImportRowReason[]
export const IMPORT_WARNINGS = Object.keys(WARNINGS) as ImportWarning[]
export const IMPORT_FILE_PROBLEMS = Object.keys(FILE_PROBLEMS) as ImportFileProblem[]

export function isImportReason(code: string): code is ImportReason {
  return Object.prototype.hasOwnProperty.call(ALL, code)
}

/** A refused row's reason in a few words; an unknown code as it is. */
export function importReasonLabel(code: string, lang: ImportLang): string {
  return Object.hasOwn(ROW_REASON_LABELS, code) ? ROW_REASON_LABELS[code as ImportRowReason][lang] : code
}

/** The sentence for a reason code; `{first}`-style placeholders are filled from `params`. */
export function explainImportReason(code: ImportReason, lang: ImportLang, params: Record<string, string | number> = {}): string {
  return ALL[code][lang].replace(/\{(\w+)\}/g, (whole, key: string) => (key in params ? String(params[key]) : whole))
}
