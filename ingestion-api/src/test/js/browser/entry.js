// What a site writes after `npm install @segment/analytics-next`; the page uses it as a global.
import { AnalyticsBrowser } from '@segment/analytics-next';

window.AnalyticsBrowser = AnalyticsBrowser;
