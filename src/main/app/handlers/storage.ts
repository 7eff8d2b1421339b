// Settings → Storage: where the installation keeps its data, a MongoDB connection test, and the mirror.
// The operator's (dispatch checks OPERATOR_METHODS); an address's credentials never come back in an answer.

import { AppError } from '../../../shared/errors'
import type { StorageSettings } from '../../../shared/contract'
import { testMongoConnection } from '../../store/mirror/connectionTest'
import { redactMongoUri } from '../../store/transfer/location'
import type { Handlers } from '../dispatch'
import type { AppServices } from '../index'
import type { MirrorService } from '../mirrorService'
import { readStoreChoice, saveStoreChoice } from '../storeChoice'

type Services = Pick<AppServices, 'config' | 'log'> & { mirror: MirrorService }

async function readStorage(s: Services): Promise<StorageSettings> {
  const { mongodbUri } = s.config
  const chosen = readStoreChoice(s.config.dataDir, s.config.secrets)
  return {
    backend: mongodbUri ? 'mongodb' : 'sqlite',
    dataDir: s.config.dataDir,
    mongodb: mongodbUri ? redactMongoUri(mongodbUri) : null,
    chosen: { backend: chosen ? 'mongodb' : 'sqlite', target: chosen ? redactMongoUri(chosen) : null },
    unreachable: s.config.mongodbUnreachable ?? null,
    mirror: await s.mirror.view(),
  }
}

export function storageHandlers(s: Services): Pick<Handlers, 'storage.get' | 'storage.test' | 'storage.setMirror' | 'storage.choose'> {
  return {
    'storage.get': () => readStorage(s),
    'storage.test': (_ctx, { uri }) => testMongoConnection(uri),
    // Takes effect at the next start: the stores are never swapped under campaigns that are sending.
    async 'storage.choose'(_ctx, choice) {
      const uri = choice.backend === 'mongodb' ? choice.uri : null
      if (uri) await mustAnswer(uri)
      saveStoreChoice(s.config.dataDir, s.config.secrets, uri)
      s.log.info({ backend: choice.backend, target: uri ? redactMongoUri(uri) : null }, 'store for the next start chosen by the operator')
      return readStorage(s)
    },
    async 'storage.setMirror'(_ctx, { enabled, uri }) {
      if (s.config.store || s.config.mongodbUri) throw new AppError('conflict', 'This installation keeps its data in MongoDB already: there is nothing to mirror.')
      const current = await s.mirror.view()
      if (enabled && !uri && !current.target) {
        throw new AppError('invalid_args', 'Give the MongoDB address to mirror into (mongodb://…), then turn the mirror on.', { field: 'uri', problem: 'address_missing' })
      }
      // Saved only once it answers: a typo is caught here, not discovered later as a mirror that never syncs.
      if (uri) await mustAnswer(uri)
      await s.mirror.save(enabled, uri)
      await s.mirror.apply()
      s.log.info({ enabled, target: (await s.mirror.view()).target }, 'mirror settings changed by the operator')
      return readStorage(s)
    },
  }
}

async function mustAnswer(uri: string): Promise<void> {
  const test = await testMongoConnection(uri)
  if (!test.ok) throw new AppError('unavailable', `${test.target} did not answer as it should (${test.reason}): ${test.detail}`, { problem: test.reason, target: test.target })
}
