// Tunes V8 for sending as a side effect of being imported: the first module of the Electron main
// process, and of the CLI (bin/pregon.js loads it before the rest, so it runs before the dependencies
// are loaded; set later, the young generation would already have grown).
import { tuneV8ForSending } from './v8Tuning'

tuneV8ForSending()
