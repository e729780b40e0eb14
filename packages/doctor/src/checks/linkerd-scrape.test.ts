import { linkerdScrapeChecks } from './linkerd-scrape.ts';
import { fixtureSuite } from './testing/fixture-suite.ts';

fixtureSuite(linkerdScrapeChecks);
