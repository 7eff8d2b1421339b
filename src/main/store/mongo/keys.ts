// Installation keys: secrets made once per database, on first open, and kept in it.
import { Binary } from 'mongodb'
import { DURABLE, isDuplicateKey, type Mongo } from './db'

/** The key named `name`, made by `make` the first time; every process sharing the database gets the same one. */
export async function installationKey(mongo: Mongo, name: string, make: () => Buffer): Promise<Buffer> {
  const read = async (): Promise<Buffer | null> => {
    const doc = await mongo.col.installationKeys.findOne({ _id: name })
    return doc ? Buffer.from((doc.key as Binary).buffer) : null
  }
  const found = await read()
  if (found) return found
  try {
    await mongo.col.installationKeys.insertOne({ _id: name, key: new Binary(make()) }, { writeConcern: DURABLE })
  } catch (err) {
    // Another process made it meanwhile: both then read the one that was kept.
    if (!isDuplicateKey(err)) throw err
  }
  const made = await read()
  if (!made) throw new Error(`The installation key "${name}" could not be stored.`)
  return made
}
