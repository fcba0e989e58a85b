import { writeFileSync } from 'node:fs';
import { buildReportModel, renderReport } from '../src/report/html/index.js';
import { launchChromium } from '../test/helpers/browser.js';
const m = await buildReportModel(['/tmp/rep/big/results'], { cacheDir: '/tmp/rep/imgcache' });
writeFileSync('/tmp/rep/big.html', renderReport(m, 'html'));
const b = await launchChromium();
for (let k = 0; k < 2; k++) {
const page = await b.newPage({ viewport: { width: 1440, height: 900 } });
const t0 = performance.now();
await page.goto('file:///tmp/rep/big.html');
await page.waitForSelector('.eb-row', { timeout: 60000 });
console.log('rows', ((performance.now() - t0) / 1000).toFixed(2));
console.log(await page.evaluate(`JSON.stringify(performance.getEntriesByType('mark').map(m => [m.name, Math.round(m.startTime)]))`));
console.log(await page.evaluate(`JSON.stringify([performance.timing.responseEnd - performance.timing.navigationStart, performance.timing.domInteractive - performance.timing.navigationStart])`));
await page.close();
}
await b.close();
