// The seed's documents: field names and values as its collections have them, and a lossless way back.
// eslint-disable-next-line no-restricted-imports -- the documents hold the driver's ObjectId
import { ObjectId } from 'mongodb'
import { describe, expect, it } from 'vitest'
import {
  campaignDocument,
  campaignFromDocument,
  fromMongoId,
  messageEventDocument,
  messageEventFromDocument,
  sendLogDocument,
  sendLogFromDocument,
  toMongoId,
  type SendLogEntry,
} from '../../../src/main/store/mongo/seedDocuments'
import type { MessageEvent } from '../../../src/main/store/ports'
import type { Campaign } from '../../../src/shared/types'

const campaign: Campaign = {
  id: '507f1f77bcf86cd799439011',
  userId: '64b7f0a2c3d4e5f6a7b8c9d0',
  accountId: 'acc-uuid-1',
  campaignName: 'Promoción Verano',
  batchId: 'cmp_1234567890_abc123',
  template: { name: 'hello_world', language: 'es', bodyParams: [{ type: 'text', text: '{{Nombre}}' }] },
  status: 'processing',
  pacing: { kind: 'seed' },
  processed: 1500,
  successCount: 1450,
  failedCount: 50,
  contactsCount: 5000,
  deliveredCount: 1400,
  readCount: 900,
  repliedCount: 12,
  skippedCount: 3,
  uncertainCount: 0,
  createdAt: '2025-10-13T10:00:00.000Z',
  startedAt: '2025-10-13T10:00:05.000Z',
  lastProcessedAt: '2025-10-13T10:15:30.000Z',
  completedAt: null,
  pausedAt: null,
  resumeAt: null,
  error: null,
  errorDetail: null,
}

describe('seed documents', () => {
  it('writes a campaign with the seed’s field names, ObjectId ids and ISO times', () => {
    const doc = campaignDocument(campaign)
    expect(doc._id).toBeInstanceOf(ObjectId)
    expect(doc._id.toString()).toBe('507f1f77bcf86cd799439011')
    expect(doc.userId).toBeInstanceOf(ObjectId)
    expect(doc).toMatchObject({
      campaignName: 'Promoción Verano',
      batchId: 'cmp_1234567890_abc123',
      template: { name: 'hello_world', language: 'es' },
      status: 'processing',
      processed: 1500,
      successCount: 1450,
      failedCount: 50,
      contactsCount: 5000,
      createdAt: '2025-10-13T10:00:00.000Z',
      startedAt: '2025-10-13T10:00:05.000Z',
      lastProcessedAt: '2025-10-13T10:15:30.000Z',
      error: null,
    })
    expect(doc).not.toHaveProperty('id')
    expect(campaignFromDocument(doc)).toEqual(campaign)
  })

  it('keeps ids that are not ObjectIds as strings, both ways', () => {
    const fromSqlite = { ...campaign, id: '0f8fad5b-d9cb-469f-a165-70867728950e', userId: 'local' }
    const doc = campaignDocument(fromSqlite)
    expect(doc._id).toBe('0f8fad5b-d9cb-469f-a165-70867728950e')
    expect(doc.userId).toBe('local')
    expect(doc.accountId).toBe('acc-uuid-1')
    expect(campaignFromDocument(doc)).toEqual(fromSqlite)
    // Upper-case hex is not what ObjectId prints, so it stays a string and round-trips exactly.
    expect(toMongoId('507F1F77BCF86CD799439011')).toBe('507F1F77BCF86CD799439011')
    expect(fromMongoId(toMongoId('507f1f77bcf86cd799439011'))).toBe('507f1f77bcf86cd799439011')
  })

  it('reads a campaign document missing the optional times (an older seed document) as nulls', () => {
    const { startedAt: _s, completedAt: _c, pausedAt: _p, error: _e, ...partial } = campaignDocument(campaign)
    const read = campaignFromDocument(partial as ReturnType<typeof campaignDocument>)
    expect(read).toMatchObject({ startedAt: null, completedAt: null, pausedAt: null, error: null })
  })

  it('writes one send_logs document per attempt, findable by batchId, with a BSON date', () => {
    const entry: SendLogEntry = {
      campaignId: campaign.id,
      recipientId: '65a000000000000000000001',
      at: Date.UTC(2025, 9, 13, 10, 0, 6),
      outcome: 'failed',
      httpStatus: 400,
      errorCode: 131026,
      wamid: null,
      latencyMs: 41.6,
      summary: 'template hello_world/es → +57300…',
    }
    const doc = sendLogDocument(entry, campaign.batchId)
    expect(doc).toMatchObject({ batchId: 'cmp_1234567890_abc123', outcome: 'failed', httpStatus: 400, errorCode: 131026, latencyMs: 42 })
    expect(doc.at).toEqual(new Date('2025-10-13T10:00:06.000Z'))
    expect(doc.campaignId).toBeInstanceOf(ObjectId)
    expect(sendLogFromDocument(doc)).toEqual({ ...entry, latencyMs: 42 })
  })

  it('writes a message event with its batchId and the exact payload text, and reads it back', () => {
    const event: MessageEvent = {
      wamid: 'wamid.HBgM',
      kind: 'status',
      status: 'delivered',
      campaignId: campaign.id,
      recipientId: '65a000000000000000000001',
      phone: '+573001234567',
      at: Date.UTC(2025, 9, 13, 10, 1),
      errorCode: null,
      payload: '{"id":"wamid.HBgM",  "status":"delivered"}',
    }
    const doc = messageEventDocument(event, campaign.batchId)
    expect(doc).toMatchObject({ wamid: 'wamid.HBgM', status: 'delivered', batchId: campaign.batchId, payload: event.payload })
    expect(messageEventFromDocument(doc)).toEqual(event)
    const inbound = { ...event, kind: 'inbound' as const, status: 'text', campaignId: null, recipientId: null }
    const inboundDoc = messageEventDocument(inbound, 'ignored')
    expect(inboundDoc).toMatchObject({ campaignId: null, batchId: null, recipientId: null })
    expect(messageEventFromDocument(inboundDoc)).toEqual(inbound)
  })
})
