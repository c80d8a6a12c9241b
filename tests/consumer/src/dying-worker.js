// The package's worker, which dies (an uncaught error) when the page posts {die: true}: how a
// crashed worker looks to the page.
import 'zg-align/worker';

self.addEventListener('message', ({ data }) => {
  if (data?.die) setTimeout(() => { throw new Error('the worker crashed on purpose'); });
});
