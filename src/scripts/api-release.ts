// npm run api:release: records the current API as released (src/versioning/release.ts).
import { releaseApi } from '../versioning/release.js';

try {
  console.log(await releaseApi(new URL('../../', import.meta.url)));
} catch (err) {
  console.error((err as Error).message);
  process.exit(1);
}
