// Tunes V8 for sending as a side effect of being imported. bin/pregon.js loads it before the rest of the
// CLI, so the young generation has not grown yet. The Electron main process imports it first too, but
// its bundle requires the external packages before any of its own code runs, so there the flags take
// effect from that point on (undici's parser is compiled later, at the first request, either way).
import { tuneV8ForSending } from './v8Tuning'

tuneV8ForSending()
