// Plain-language explanations of Cloud API error codes and campaign pauses, in Spanish and English (UI and reports).

import type { AccountTier, CampaignError } from './types'

export type CatalogLang = 'es' | 'en'

export interface Explanation {
  title: string
  whatToDo: string
}

type Bilingual = Record<CatalogLang, Explanation>

const topics = {
  credentials: {
    es: {
      title: 'La clave de acceso de WhatsApp no es válida o venció',
      whatToDo: 'Genera un token nuevo en Meta (mejor uno de usuario del sistema, que no vence), pégalo en la cuenta y reanuda la campaña.',
    },
    en: {
      title: 'The WhatsApp access token is invalid or has expired',
      whatToDo: 'Create a new token in Meta (a system-user token does not expire), paste it into the account and resume the campaign.',
    },
  },
  permissions: {
    es: {
      title: 'La app no tiene permiso para enviar con este número',
      whatToDo: 'En Meta, da a la app los permisos whatsapp_business_messaging y whatsapp_business_management para esta cuenta y vuelve a generar el token.',
    },
    en: {
      title: 'The app is not allowed to send from this number',
      whatToDo: 'In Meta, grant the app whatsapp_business_messaging and whatsapp_business_management for this account, then create the token again.',
    },
  },
  rateLimit: {
    es: {
      title: 'WhatsApp pidió enviar más despacio',
      whatToDo: 'No hace falta hacer nada: Pregón baja la velocidad y reintenta solo.',
    },
    en: {
      title: 'WhatsApp asked us to send more slowly',
      whatToDo: 'Nothing to do: Pregón slows down and retries by itself.',
    },
  },
  spam: {
    es: {
      title: 'WhatsApp frenó los envíos porque muchos clientes bloquearon o reportaron mensajes',
      whatToDo: 'Revisa la calidad del número en Meta, envía solo a quien pidió recibir tus mensajes y espera unas horas antes de reanudar.',
    },
    en: {
      title: 'WhatsApp stopped the sends because many customers blocked or reported messages',
      whatToDo: 'Check the number’s quality in Meta, send only to people who asked for your messages, and wait a few hours before resuming.',
    },
  },
  pairLimit: {
    es: {
      title: 'Se enviaron demasiados mensajes seguidos a este cliente',
      whatToDo: 'No hace falta hacer nada: Pregón espera unos segundos y reintenta solo con este cliente.',
    },
    en: {
      title: 'Too many messages in a row to this customer',
      whatToDo: 'Nothing to do: Pregón waits a few seconds and retries this customer only.',
    },
  },
  marketingLimit: {
    es: {
      title: 'WhatsApp no entregó el mensaje: este cliente ya recibió muchas promociones',
      whatToDo: 'No lo reenvíes antes de 24 horas; si insistes, WhatsApp puede bloquearte con este cliente.',
    },
    en: {
      title: 'WhatsApp did not deliver it: this customer already got many promotions',
      whatToDo: 'Do not resend within 24 hours; insisting can get you blocked with this customer.',
    },
  },
  optedOut: {
    es: {
      title: 'El cliente pidió no recibir más promociones',
      whatToDo: 'Pregón lo quitó de tus envíos de marketing. Respeta su decisión.',
    },
    en: {
      title: 'The customer asked to stop receiving promotions',
      whatToDo: 'Pregón removed them from your marketing sends. Respect their choice.',
    },
  },
  undeliverable: {
    es: {
      title: 'No se pudo entregar a este número',
      whatToDo: 'Puede que no tenga WhatsApp o use una versión muy vieja. Verifica el número con el cliente.',
    },
    en: {
      title: 'This number could not be reached',
      whatToDo: 'It may not use WhatsApp or may run a very old version. Check the number with the customer.',
    },
  },
  notForTemplates: {
    es: {
      title: 'WhatsApp no acepta este tipo de mensaje aquí',
      whatToDo: 'Las campañas usan plantillas aprobadas, así que no debería repetirse. Si se repite, escríbenos.',
    },
    en: {
      title: 'WhatsApp does not accept this kind of message here',
      whatToDo: 'Campaigns use approved templates, so this should not happen again. If it does, contact support.',
    },
  },
  media: {
    es: {
      title: 'WhatsApp no pudo descargar la imagen, video o documento',
      whatToDo: 'Revisa que el enlace abra en un navegador sin iniciar sesión y que el archivo no sea demasiado grande.',
    },
    en: {
      title: 'WhatsApp could not download the image, video or document',
      whatToDo: 'Check that the link opens in a browser without logging in and that the file is not too large.',
    },
  },
  templateMismatch: {
    es: {
      title: 'La plantilla no coincide con lo aprobado en Meta',
      whatToDo: 'Revisa el nombre, el idioma y la cantidad de variables de la plantilla; actualiza la lista de plantillas y corrige la campaña.',
    },
    en: {
      title: 'The template does not match what Meta approved',
      whatToDo: 'Check the template’s name, language and number of variables; refresh the template list and fix the campaign.',
    },
  },
  templatePaused: {
    es: {
      title: 'Meta pausó o desactivó la plantilla',
      whatToDo: 'Los clientes la calificaron mal. Edítala o crea una nueva, espera su aprobación y cambia la campaña a esa plantilla.',
    },
    en: {
      title: 'Meta paused or disabled the template',
      whatToDo: 'Customers rated it poorly. Edit it or create a new one, wait for approval and switch the campaign to it.',
    },
  },
  templatePolicy: {
    es: {
      title: 'La plantilla no cumple las políticas de WhatsApp',
      whatToDo: 'Cambia el texto de la plantilla para que cumpla las políticas de Meta y envíala a revisión otra vez.',
    },
    en: {
      title: 'The template breaks a WhatsApp policy',
      whatToDo: 'Change the template’s text to meet Meta’s policies and submit it for review again.',
    },
  },
  paramTooLong: {
    es: {
      title: 'El mensaje quedó demasiado largo con los datos de este cliente',
      whatToDo: 'Acorta los datos de este cliente (el mensaje completo no puede pasar de 1024 caracteres).',
    },
    en: {
      title: 'The message got too long with this customer’s data',
      whatToDo: 'Shorten this customer’s data (the whole message must stay within 1,024 characters).',
    },
  },
  paramFormat: {
    es: {
      title: 'Un dato del cliente tiene un formato que WhatsApp no acepta',
      whatToDo: 'Quita saltos de línea, tabulaciones y espacios repetidos de los datos en tu lista de contactos.',
    },
    en: {
      title: 'A customer value has a format WhatsApp rejects',
      whatToDo: 'Remove line breaks, tabs and repeated spaces from the values in your contact list.',
    },
  },
  invalidRequest: {
    es: {
      title: 'WhatsApp rechazó la forma del mensaje',
      whatToDo: 'Revisa la configuración de la plantilla en la campaña (variables, encabezado, botones). El detalle de Meta dice qué campo falla.',
    },
    en: {
      title: 'WhatsApp rejected the message’s format',
      whatToDo: 'Check the campaign’s template setup (variables, header, buttons). Meta’s detail names the failing field.',
    },
  },
  invalidRecipient: {
    es: {
      title: 'WhatsApp no aceptó el número de este cliente',
      whatToDo: 'Revisa que el número tenga el código de país y esté completo.',
    },
    en: {
      title: 'WhatsApp did not accept this customer’s number',
      whatToDo: 'Check that the number includes the country code and is complete.',
    },
  },
  numberNotRegistered: {
    es: {
      title: 'Tu número de WhatsApp Business no está registrado en la API',
      whatToDo: 'Termina el registro del número en Meta (WhatsApp Manager) y reanuda la campaña.',
    },
    en: {
      title: 'Your WhatsApp Business number is not registered on the API',
      whatToDo: 'Finish registering the number in Meta (WhatsApp Manager) and resume the campaign.',
    },
  },
  accountBlocked: {
    es: {
      title: 'Meta bloqueó o restringió tu cuenta de WhatsApp Business',
      whatToDo: 'Abre WhatsApp Manager en Meta para ver el motivo y apelar. No reanudes hasta que se levante el bloqueo.',
    },
    en: {
      title: 'Meta blocked or restricted your WhatsApp Business account',
      whatToDo: 'Open WhatsApp Manager in Meta to see why and appeal. Do not resume until the block is lifted.',
    },
  },
  marketingDisabled: {
    es: {
      title: 'Este número no puede enviar con la configuración actual de Meta',
      whatToDo: 'Revisa en WhatsApp Manager que el nombre visible esté aprobado y que los mensajes de marketing estén habilitados para la API.',
    },
    en: {
      title: 'This number cannot send with its current Meta setup',
      whatToDo: 'In WhatsApp Manager, check that the display name is approved and that marketing messages are enabled for the API.',
    },
  },
  payment: {
    es: {
      title: 'Hay un problema con el método de pago de WhatsApp',
      whatToDo: 'Agrega o actualiza el método de pago en Meta (Configuración del negocio → Pagos) y reanuda.',
    },
    en: {
      title: 'There is a problem with the WhatsApp payment method',
      whatToDo: 'Add or update the payment method in Meta (Business settings → Payments) and resume.',
    },
  },
  country: {
    es: {
      title: 'Tu cuenta no puede enviar mensajes a ese país',
      whatToDo: 'Meta restringe los envíos de tu cuenta a ese país. Quita esos números o consulta en Meta.',
    },
    en: {
      title: 'Your account cannot message that country',
      whatToDo: 'Meta restricts your account’s sends to that country. Remove those numbers or ask Meta.',
    },
  },
  cannotMessageUser: {
    es: {
      title: 'No se puede escribir a este cliente',
      whatToDo: 'Es tu propio número, lo bloqueaste, o WhatsApp lo excluyó de los envíos. Quítalo de la lista.',
    },
    en: {
      title: 'This customer cannot be messaged',
      whatToDo: 'It is your own number, you blocked it, or WhatsApp excluded it. Remove it from the list.',
    },
  },
  temporary: {
    es: {
      title: 'WhatsApp tuvo un problema temporal',
      whatToDo: 'No hace falta hacer nada: Pregón reintenta solo en unos momentos.',
    },
    en: {
      title: 'WhatsApp had a temporary problem',
      whatToDo: 'Nothing to do: Pregón retries by itself shortly.',
    },
  },
  maintenance: {
    es: {
      title: 'Tu cuenta de WhatsApp está en mantenimiento por un minuto',
      whatToDo: 'No hace falta hacer nada: Pregón espera y sigue solo.',
    },
    en: {
      title: 'Your WhatsApp account is in maintenance for about a minute',
      whatToDo: 'Nothing to do: Pregón waits and carries on by itself.',
    },
  },
  tokenCannotManageWaba: {
    es: {
      title: 'Este token puede enviar, pero no puede leer las plantillas ni los números de tu cuenta de WhatsApp Business',
      whatToDo: 'En Meta Business → Usuarios del sistema, da a la app el permiso whatsapp_business_management para esta cuenta, genera el token de nuevo y pégalo aquí.',
    },
    en: {
      title: 'This token can send but cannot read your WhatsApp Business Account’s templates and numbers',
      whatToDo: 'In Meta Business → System users, give the app whatsapp_business_management for this account, create the token again and paste it here.',
    },
  },
  wabaMismatch: {
    es: {
      title: 'El ID de la cuenta de WhatsApp Business (WABA) no corresponde a este número',
      whatToDo: 'En Meta for Developers → WhatsApp → Configuración de la API, copia el «ID de la cuenta de WhatsApp Business» que aparece junto a este número y vuelve a guardarlo.',
    },
    en: {
      title: 'The WhatsApp Business Account (WABA) ID does not match this number',
      whatToDo: 'In Meta for Developers → WhatsApp → API Setup, copy the “WhatsApp Business Account ID” shown with this number and save again.',
    },
  },
  unknown: {
    es: {
      title: 'WhatsApp no pudo enviar este mensaje',
      whatToDo: 'Revisa el detalle de Meta en el registro. Si se repite con muchos clientes, la campaña se pausará sola.',
    },
    en: {
      title: 'WhatsApp could not send this message',
      whatToDo: 'Check Meta’s detail in the log. If it repeats for many customers, the campaign pauses by itself.',
    },
  },
} satisfies Record<string, Bilingual>

type Topic = keyof typeof topics

const topicByCode: Readonly<Record<number, Topic>> = {
  0: 'credentials',
  190: 'credentials',
  3: 'permissions',
  10: 'permissions',
  4: 'rateLimit',
  80007: 'rateLimit',
  130429: 'rateLimit',
  131048: 'spam',
  131056: 'pairLimit',
  131049: 'marketingLimit',
  131050: 'optedOut',
  131026: 'undeliverable',
  131047: 'notForTemplates',
  131051: 'notForTemplates',
  470: 'notForTemplates',
  131052: 'media',
  131053: 'media',
  132000: 'templateMismatch',
  132001: 'templateMismatch',
  132012: 'templateMismatch',
  132015: 'templatePaused',
  132016: 'templatePaused',
  132007: 'templatePolicy',
  132005: 'paramTooLong',
  132018: 'paramFormat',
  100: 'invalidRequest',
  131008: 'invalidRequest',
  131009: 'invalidRecipient',
  131062: 'invalidRecipient',
  133010: 'numberNotRegistered',
  131031: 'accountBlocked',
  368: 'accountBlocked',
  131064: 'accountBlocked',
  131063: 'marketingDisabled',
  131037: 'marketingDisabled',
  131042: 'payment',
  130497: 'country',
  131021: 'cannotMessageUser',
  130403: 'cannotMessageUser',
  130472: 'cannotMessageUser',
  1: 'temporary',
  2: 'temporary',
  131000: 'temporary',
  131016: 'temporary',
  133004: 'temporary',
  131057: 'maintenance',
}

/** What a Cloud API error code means for the shop owner, and what to do about it. */
export function explainError(code: number, lang: CatalogLang): Explanation {
  const topic = topicByCode[code] ?? (code >= 200 && code <= 299 ? 'permissions' : 'unknown')
  return topics[topic][lang]
}

/** True when the catalog has words written for this code (not the generic fallback). */
export function hasExplanation(code: number): boolean {
  return code in topicByCode || (code >= 200 && code <= 299)
}

/** Problems the core finds in credentials before saving them (`details.problem` of the error). */
const accountProblems: Readonly<Record<string, Topic>> = { waba_mismatch: 'wabaMismatch', token_cannot_manage_waba: 'tokenCannotManageWaba' }

/** What a refused account means and what to do, or null when the problem has no words of its own. */
export function explainAccountProblem(problem: unknown, lang: CatalogLang): Explanation | null {
  const topic = typeof problem === 'string' && Object.hasOwn(accountProblems, problem) ? accountProblems[problem] : null
  return topic ? topics[topic][lang] : null
}

const campaignErrors: Record<CampaignError, Bilingual> = {
  too_many_failures: {
    es: {
      title: 'La campaña se pausó porque más de la mitad de los mensajes fallaron',
      whatToDo: 'Mira en el detalle por qué fallan (números, datos o plantilla), corrige el problema y usa «Reanudar».',
    },
    en: {
      title: 'The campaign paused because more than half of the messages failed',
      whatToDo: 'See in the detail why they fail (numbers, data or template), fix it and press “Resume”.',
    },
  },
  invalid_credentials: topics.credentials,
  template_error: topics.templateMismatch,
  account_blocked: topics.accountBlocked,
  payment_required: topics.payment,
  daily_limit_reached: {
    es: {
      title: 'Se alcanzó el límite de clientes distintos por 24 horas de tu cuenta',
      whatToDo: 'No hace falta hacer nada: la campaña sigue sola cuando WhatsApp vuelva a permitir envíos. Tu límite sube si envías mensajes de buena calidad.',
    },
    en: {
      title: 'Your account reached its limit of different customers per 24 hours',
      whatToDo: 'Nothing to do: the campaign carries on by itself when WhatsApp allows it again. The limit grows with good-quality messages.',
    },
  },
  spam_rate_limited: topics.spam,
  invalid_request: topics.invalidRequest,
  nothing_sent: {
    es: {
      title: 'La campaña terminó sin enviar ningún mensaje',
      whatToDo: 'Mira en el detalle por qué se omitieron o fallaron los contactos (números, columnas de la plantilla o el error de WhatsApp), corrígelo y crea la campaña de nuevo o usa «Reintentar fallidos».',
    },
    en: {
      title: 'The campaign ended without sending a single message',
      whatToDo: 'See in the detail why the contacts were skipped or failed (numbers, template columns or WhatsApp’s error), fix it and create the campaign again or press “Retry failed”.',
    },
  },
  quality_low: {
    es: {
      title: 'Meta calificó baja (roja) la calidad de tu número: Pregón pausó tus campañas de promoción para protegerlo',
      whatToDo: 'Revisa en WhatsApp Manager por qué bajó (bloqueos, reportes), envía solo a quien pidió tus mensajes y reanuda cuando la calidad mejore.',
    },
    en: {
      title: 'Meta rated your number’s quality low (red): Pregón paused your promotional campaigns to protect it',
      whatToDo: 'Check in WhatsApp Manager why it dropped (blocks, reports), send only to people who asked for your messages, and resume once the quality improves.',
    },
  },
}

/** Why the engine paused a campaign, in the shop owner's words. */
export function explainCampaignError(error: CampaignError, lang: CatalogLang): Explanation {
  return campaignErrors[error][lang]
}

const tierNotices: Record<Exclude<AccountTier['source'], 'meta'>, Record<CatalogLang, (limit: string) => string>> = {
  assumed: {
    es: (limit) => `Límite diario desconocido: se asumen ${limit} clientes hasta que Meta diga otra cosa; cámbialo en la cuenta.`,
    en: (limit) => `Tier unknown: assuming ${limit} until Meta says otherwise; change it in the account.`,
  },
  user: {
    es: (limit) => `Meta no indica tu límite diario: se usa el que pusiste en la cuenta (${limit} clientes).`,
    en: (limit) => `Meta does not say this number’s tier: using the one set in the account (${limit} customers).`,
  },
}

/** Null when Meta said the tier; otherwise what Pregón holds the account to and why, for the UI and the API. */
export function explainTier(tier: AccountTier, lang: CatalogLang): string | null {
  if (tier.source === 'meta') return null
  const limit = tier.limit === null ? (lang === 'es' ? 'sin límite de' : 'unlimited') : tier.limit.toLocaleString(lang === 'es' ? 'es-CO' : 'en-US')
  return tierNotices[tier.source][lang](limit)
}
