// The simulator's send endpoint over real HTTP: success shape, validation errors, limits, failures and faults.

import { afterEach, describe, expect, it } from 'vitest'
import { startSimulator, type Simulator, type SimulatorOptions } from '../../../src/sim'
import { PHONE_ID, post, promo } from './helpers'

const running: Simulator[] = []
async function start(opts: SimulatorOptions = {}): Promise<Simulator> {
  const sim = await startSimulator({ seed: 7, ...opts })
  running.push(sim)
  return sim
}
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()))
})

describe('a successful send', () => {
  it('answers with the input verbatim, the wa_id digits and a fresh base64 wamid marked accepted', async () => {
    const sim = await start()
    const first = await post(sim.url, promo('+57 300 123-4567', { biz_opaque_callback_data: 'row-1' }))
    const second = await post(sim.url, promo('+573001234568'))

    expect(first.status).toBe(200)
    expect(first.body.messaging_product).toBe('whatsapp')
    expect(first.body.contacts).toEqual([{ input: '+57 300 123-4567', wa_id: '573001234567' }])
    const wamid = first.body.messages?.[0].id ?? ''
    expect(wamid).toMatch(/^wamid\.[A-Za-z0-9+/]+=*$/)
    expect(Buffer.from(wamid.slice(6), 'base64').toString()).toContain('573001234567')
    expect(first.body.messages?.[0].message_status).toBe('accepted')
    expect(second.body.messages?.[0].id).not.toBe(wamid)
    expect(sim.sentMessages.get(wamid)).toMatchObject({
      to: '+57 300 123-4567',
      template: { name: 'promo_verano', language: 'es' },
      callbackData: 'row-1',
    })
  })

  it('accepts any /vNN.N/ version prefix', async () => {
    const sim = await start()
    for (const version of ['v19.0', 'v23.0', 'v26.0']) {
      const reply = await post(sim.url, promo('+573001234567'), { path: `/${version}/${PHONE_ID}/messages` })
      expect(reply.status).toBe(200)
    }
  })

  it('sends a NAMED template when every parameter carries its parameter_name', async () => {
    const sim = await start()
    const body = {
      messaging_product: 'whatsapp',
      to: '+573001234567',
      type: 'template',
      template: {
        name: 'confirmacion_cita',
        language: { code: 'es' },
        components: [
          {
            type: 'body',
            parameters: [
              { type: 'text', parameter_name: 'fecha', text: 'martes' },
              { type: 'text', parameter_name: 'nombre', text: 'Ana' },
            ],
          },
        ],
      },
    }
    expect((await post(sim.url, body)).status).toBe(200)

    body.template.components[0].parameters[0] = { type: 'text', text: 'martes' } as (typeof body.template.components)[0]['parameters'][0]
    const missingName = await post(sim.url, body)
    expect(missingName.body.error?.code).toBe(100)
    expect(missingName.body.error?.error_data?.details).toContain('Parameter name is missing')
  })

  it('requires the image of an IMAGE header template', async () => {
    const sim = await start()
    const catalogue = (components: unknown[]) => ({
      messaging_product: 'whatsapp',
      to: '+573001234567',
      type: 'template',
      template: { name: 'catalogo_nuevo', language: { code: 'es' }, components },
    })
    const body = { type: 'body', parameters: [{ type: 'text', text: 'Ana' }] }
    const withoutImage = await post(sim.url, catalogue([body]))
    expect(withoutImage.body.error?.code).toBe(132012)
    expect(withoutImage.body.error?.error_data?.details).toBe('header: Format mismatch, expected IMAGE, received UNKNOWN')

    const header = { type: 'header', parameters: [{ type: 'image', image: { link: 'https://example.com/a.jpg' } }] }
    expect((await post(sim.url, catalogue([header, body]))).status).toBe(200)
  })
})

describe('errors in the §2.3 envelope', () => {
  it('rejects a wrong or missing token with 401 and code 190', async () => {
    const sim = await start()
    const wrong = await post(sim.url, promo('+573001234567'), { token: 'nope' })
    expect(wrong.status).toBe(401)
    // Graph's own auth errors: the title alone, no error_data (WhatsApp's errors have both).
    expect(wrong.body.error).toMatchObject({ code: 190, type: 'OAuthException', message: 'Invalid OAuth access token - Cannot parse access token' })
    expect(wrong.body.error).not.toHaveProperty('error_data')
    expect(wrong.body.error?.fbtrace_id).toMatch(/^\S{10,}$/)

    const missing = await fetch(`${sim.url}/v25.0/${PHONE_ID}/messages`, { method: 'POST', body: '{}' })
    expect(missing.status).toBe(401)
  })

  it('answers 400, code 100, subcode 33 for an unknown phone number id, as a GraphMethodException without error_data', async () => {
    const sim = await start()
    const reply = await post(sim.url, promo('+573001234567'), { path: '/v25.0/999/messages' })
    expect(reply.status).toBe(400)
    expect(reply.body.error).toMatchObject({ code: 100, error_subcode: 33, type: 'GraphMethodException' })
    expect(reply.body.error?.message).toMatch(/^Unsupported post request\. Object with ID '999' does not exist/)
    expect(reply.body.error).not.toHaveProperty('error_data')
  })

  it("carries error_data with Meta's details on WhatsApp's own errors", async () => {
    const sim = await start({ failures: [{ code: 131042, rate: 1 }] })
    const reply = await post(sim.url, promo('+573001234567'))
    expect(reply.body.error).toMatchObject({
      message: '(#131042) Business eligibility payment issue',
      type: 'OAuthException',
      code: 131042,
      error_data: { messaging_product: 'whatsapp', details: 'There was an error related to your payment method.' },
    })
    expect(reply.body.error?.fbtrace_id).toMatch(/^\S{10,}$/)
  })

  it('answers bare envelopes with sparseErrors: message, type and code, nothing else', async () => {
    const sim = await start({ sparseErrors: true, enforceThroughput: false, failures: [{ code: 130429, rate: 1 }] })
    const throttled = await post(sim.url, promo('+573001234567'))
    expect(throttled.status).toBe(429)
    expect(throttled.body.error).toEqual({ message: '(#130429) Rate limit hit', type: 'OAuthException', code: 130429 })
    const unknownTemplate = await post(sim.url, { ...promo('+573001234567'), template: { name: 'no_such', language: { code: 'es' } } })
    expect(unknownTemplate.body.error).toEqual({ message: '(#132001) Template name does not exist in the translation', type: 'OAuthException', code: 132001 })
  })

  it('answers 132001 for an unknown template or language, and 132015 for a paused one', async () => {
    const sim = await start()
    const unknown = await post(sim.url, { ...promo('+573001234567'), template: { name: 'no_such', language: { code: 'es' } } })
    expect(unknown.body.error?.message).toBe('(#132001) Template name does not exist in the translation')
    expect(unknown.body.error?.error_data?.details).toBe('template name (no_such) does not exist in es')

    const wrongLanguage = await post(sim.url, { ...promo('+573001234567'), template: { name: 'hello_world', language: { code: 'en' } } })
    expect(wrongLanguage.body.error?.code).toBe(132001)

    const paused = await post(sim.url, {
      ...promo('+573001234567'),
      template: { name: 'oferta_pausada', language: { code: 'es' }, components: [{ type: 'body', parameters: [{ type: 'text', text: '2x1' }] }] },
    })
    expect(paused.body.error?.code).toBe(132015)
  })

  it('answers 132000 with the captured details when the body parameter count is wrong', async () => {
    const sim = await start()
    const reply = await post(sim.url, {
      ...promo('+573001234567'),
      template: { name: 'promo_verano', language: { code: 'es' }, components: [{ type: 'body', parameters: [{ type: 'text', text: 'Juan' }] }] },
    })
    expect(reply.status).toBe(400)
    expect(reply.body.error?.message).toBe('(#132000) Number of parameters does not match the expected number of params')
    expect(reply.body.error?.error_data?.details).toBe('body: number of localizable_params (1) does not match the expected number of params (2)')
  })

  it('answers 100 naming the problem for malformed JSON and missing fields', async () => {
    const sim = await start()
    const malformed = await post(sim.url, '{"messaging_product": "whatsapp",')
    expect(malformed.body.error?.code).toBe(100)
    expect(malformed.body.error?.error_data?.details).toContain('not valid JSON')

    for (const field of ['messaging_product', 'to', 'type']) {
      const body = promo('+573001234567')
      delete body[field]
      const reply = await post(sim.url, body)
      expect(reply.body.error?.code).toBe(100)
      expect(reply.body.error?.error_data?.details).toBe(`The parameter ${field} is required.`)
    }
    const text = await post(sim.url, { messaging_product: 'whatsapp', to: '+573001234567', type: 'text', text: { body: 'hola' } })
    expect(text.body.error?.code).toBe(100)
    expect(text.body.error?.error_data?.details).toContain('type (text)')
  })

  it('rejects parameters with a newline, a tab or five spaces in a row, but allows four', async () => {
    const sim = await start()
    const withParam = (text: string) =>
      post(sim.url, {
        ...promo('+573001234567'),
        template: { name: 'pedido_listo', language: { code: 'es' }, components: [{ type: 'body', parameters: [{ type: 'text', text }] }] },
      })
    for (const bad of ['A-1\n024', 'A-1\t024', 'A-1     024']) {
      const reply = await withParam(bad)
      expect(reply.body.error?.code).toBe(100)
      expect(reply.body.error?.error_data?.details).toBe('Param text cannot have new-line/tab characters or more than 4 consecutive spaces')
    }
    expect((await withParam('A-1    024')).status).toBe(200)
  })
})

describe('stateful limits', () => {
  it('answers 130429 beyond the number of messages per second', async () => {
    const sim = await start({
      pairLimit: false,
      phoneNumbers: [{ id: PHONE_ID, displayPhoneNumber: '+1 555-010-0001', verifiedName: 'Slow', wabaId: '1', mps: 5 }],
    })
    const replies = await Promise.all(Array.from({ length: 20 }, (_, i) => post(sim.url, promo(`+5730012345${String(i).padStart(2, '0')}`))))
    const accepted = replies.filter((r) => r.status === 200).length
    const limited = replies.filter((r) => r.body.error?.code === 130429)
    expect(accepted).toBeGreaterThanOrEqual(5)
    expect(accepted).toBeLessThanOrEqual(8)
    expect(limited.length).toBe(20 - accepted)
    expect(limited[0].body.error?.message).toBe('(#130429) Rate limit hit')
  })

  it("answers the throttled sends with HTTP 429, Retry-After in seconds and Meta's usage headers", async () => {
    const sim = await start({
      pairLimit: false,
      phoneNumbers: [{ id: PHONE_ID, displayPhoneNumber: '+1 555-010-0001', verifiedName: 'Slow', wabaId: '1', mps: 2 }],
    })
    const replies = await Promise.all(Array.from({ length: 8 }, (_, i) => post(sim.url, promo(`+5730012345${String(i).padStart(2, '0')}`))))
    const limited = replies.filter((r) => r.body.error?.code === 130429)
    expect(limited.length).toBeGreaterThan(0)
    for (const reply of limited) {
      expect(reply.status).toBe(429)
      expect(reply.body.error).toMatchObject({ type: 'OAuthException', error_subcode: 2494055 })
      // A token comes back within half a second at 2 msg/s: Retry-After rounds up to whole seconds.
      expect(reply.headers.get('retry-after')).toBe('1')
      const usage = JSON.parse(reply.headers.get('x-business-use-case-usage') ?? '{}') as Record<string, Record<string, unknown>[]>
      expect(Object.keys(usage)).toEqual(['1'])
      expect(usage['1'][0]).toMatchObject({ type: 'whatsapp', call_count: 100, estimated_time_to_regain_access: 0 })
      expect(JSON.parse(reply.headers.get('x-app-usage') ?? '{}')).toMatchObject({ call_count: 100 })
    }
    const accepted = replies.find((r) => r.status === 200)
    expect(accepted?.headers.get('retry-after')).toBeNull()
  })

  it('asks for the waits it is told to, on the bucket and on injected 130429 alike', async () => {
    const sim = await start({
      pairLimit: false,
      throttle: { retryAfterSeconds: 30, regainAccessMinutes: 15 },
      phoneNumbers: [{ id: PHONE_ID, displayPhoneNumber: '+1 555-010-0001', verifiedName: 'Slow', wabaId: '1', mps: 1 }],
    })
    const replies = await Promise.all(Array.from({ length: 3 }, (_, i) => post(sim.url, promo(`+5730012345${i}`))))
    sim.setFailures([{ code: 130429, rate: 1 }])
    sim.resetLimits()
    replies.push(await post(sim.url, promo('+573001234599')))
    const limited = replies.filter((r) => r.status === 429)
    expect(limited.length).toBeGreaterThanOrEqual(2)
    for (const reply of limited) {
      expect(reply.headers.get('retry-after')).toBe('30')
      const usage = JSON.parse(reply.headers.get('x-business-use-case-usage') ?? '{}') as Record<string, { estimated_time_to_regain_access: number }[]>
      expect(usage['1'][0].estimated_time_to_regain_access).toBe(15)
    }
  })

  it('answers 131056 after a burst of 45 to one recipient, without affecting others', async () => {
    const sim = await start({ enforceThroughput: false })
    const codes: number[] = []
    for (let i = 0; i < 50; i++) {
      const reply = await post(sim.url, promo('+573001234567'))
      codes.push(reply.status === 200 ? 0 : (reply.body.error?.code ?? -1))
    }
    const accepted = codes.filter((c) => c === 0).length
    expect(accepted).toBeGreaterThanOrEqual(45)
    expect(accepted).toBeLessThanOrEqual(46)
    expect(codes.slice(accepted)).toEqual(Array(50 - accepted).fill(131056))
    expect((await post(sim.url, promo('+573009999999'))).status).toBe(200)
  })

  it('answers the configured code once a portfolio reached its tier of unique recipients', async () => {
    const sim = await start({
      enforceThroughput: false,
      messagingLimit: { code: 131048 },
      phoneNumbers: [{ id: PHONE_ID, displayPhoneNumber: '+1 555-010-0001', verifiedName: 'Small', wabaId: '1', tier: 'TIER_50' }],
    })
    for (let i = 0; i < 50; i++) expect((await post(sim.url, promo(`+573001234${String(i).padStart(3, '0')}`))).status).toBe(200)
    const over = await post(sim.url, promo('+573009999999'))
    expect(over.body.error?.code).toBe(131048)
    expect(over.body.error?.error_data?.details).toContain('TIER_50')
    expect((await post(sim.url, promo('+573001234000'))).status).toBe(200)
  })

  it('counts requests and acceptances per recipient, retries included, but not requests that failed validation', async () => {
    const sim = await start({ enforceThroughput: false, failRecipients: { '573001111111': 131042 } })
    await post(sim.url, promo('+573001234567'))
    await post(sim.url, promo('+573001234567'))
    await post(sim.url, promo('+573001111111'))
    await post(sim.url, { ...promo('+573002222222'), template: { name: 'no_such', language: { code: 'es' } } })

    expect(sim.requestsByRecipient()).toEqual(new Map([['573001234567', 2], ['573001111111', 1]]))
    expect(sim.acceptedByRecipient()).toEqual(new Map([['573001234567', 2]]))
    expect(sim.totalRequests).toBe(4)
    sim.resetCounters()
    expect(sim.requestsByRecipient().size).toBe(0)
    expect(sim.sentMessages.size).toBe(0)
  })
})

describe('injected failures and faults', () => {
  it('fails roughly the configured share of sends with the injected code', async () => {
    const sim = await start({ enforceThroughput: false, pairLimit: false, failures: [{ code: 131000, rate: 0.3 }] })
    const replies = await Promise.all(Array.from({ length: 400 }, (_, i) => post(sim.url, promo(`+57300${String(i).padStart(7, '0')}`))))
    const failed = replies.filter((r) => r.body.error?.code === 131000)
    expect(failed.length / 400).toBeGreaterThan(0.2)
    expect(failed.length / 400).toBeLessThan(0.4)
    expect(failed[0].status).toBe(500)
    expect(replies.filter((r) => r.status === 200).length).toBe(400 - failed.length)

    sim.setFailures([])
    expect((await post(sim.url, promo('+573001234567'))).status).toBe(200)
  })

  it('fails a listed recipient deterministically', async () => {
    const sim = await start({ failRecipients: { '573001111111': 131042 } })
    for (let i = 0; i < 3; i++) expect((await post(sim.url, promo('+573001111111'))).body.error?.code).toBe(131042)
    expect((await post(sim.url, promo('+573002222222'))).status).toBe(200)
  })

  it('never answers while hanging, and answers again once the fault is cleared', async () => {
    const sim = await start({ fault: 'hang' })
    await expect(
      fetch(`${sim.url}/v25.0/${PHONE_ID}`, { headers: { authorization: 'Bearer sim-token' }, signal: AbortSignal.timeout(300) }),
    ).rejects.toThrow(/aborted|timeout/i)
    sim.setFault('none')
    expect((await post(sim.url, promo('+573001234567'))).status).toBe(200)
  })

  it('resets the connection after reading the request', async () => {
    const sim = await start()
    sim.setFault('reset')
    await expect(post(sim.url, promo('+573001234567'))).rejects.toThrow()
    expect(sim.totalRequests).toBe(1)
    sim.setFault('none')
    expect((await post(sim.url, promo('+573001234567'))).status).toBe(200)
  })

  it('delays answers by the configured latency', async () => {
    const sim = await start()
    sim.setLatency(200)
    const started = Date.now()
    await post(sim.url, promo('+573001234567'))
    expect(Date.now() - started).toBeGreaterThanOrEqual(150)
  })

  it('refuses connections after stop, even for a client holding a keep-alive socket', async () => {
    const sim = await start({ fault: 'none' })
    expect((await post(sim.url, promo('+573001234567'))).status).toBe(200)
    sim.setFault('hang')
    const hung = fetch(`${sim.url}/v25.0/${PHONE_ID}`, { headers: { authorization: 'Bearer sim-token' } })
    await sim.stop()
    await expect(hung).rejects.toThrow()
    const refused = await post(sim.url, promo('+573001234567')).catch((error: Error & { cause?: { code?: string } }) => error.cause?.code)
    expect(refused).toBe('ECONNREFUSED')
  })
})
